/**
 * The Online Retail sample for the health tests and benchmark (read by the shared reader in
 * test/helpers/onlineRetail), and the "buys again" AUC they report.
 */
import { onlineRetailAvailable, onlineRetailFile, readOnlineRetailEvents } from '../helpers/onlineRetail';

export const retailFile = onlineRetailFile;
export const retailAvailable = onlineRetailAvailable;
/** Invoice-level purchase and refund events (`eventId` the invoice number). */
export const readRetailEvents = readOnlineRetailEvents;

/**
 * AUC of scores for "buys again": the probability that a customer who buys again within the
 * horizon scores above one who does not (ties ½), by Mann–Whitney over ranks. Null without both.
 */
export function returnAuc(scores: readonly number[], returned: readonly boolean[]): number | null {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (returned[idx[k] as number]) {
        rankSum += mid;
        pos++;
      }
    i = j + 1;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
