/**
 * The Online Retail sample for the CLV tests, read by the shared reader in test/helpers/onlineRetail
 * (events without `eventId`, as the CLV tests were written against).
 */
import type { CustomerEvent } from '../../src/events/types';
import {
  onlineRetailAvailable,
  onlineRetailFile,
  parseInvoiceDate,
  readOnlineRetailEvents,
} from '../helpers/onlineRetail';

export { onlineRetailAvailable, onlineRetailFile, parseInvoiceDate };

/** Invoice-level purchase and refund events, in file order of first appearance. */
export function loadOnlineRetailEvents(): CustomerEvent[] {
  return readOnlineRetailEvents().map(({ eventId: _id, ...e }) => e);
}
