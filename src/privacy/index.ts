/**
 * `customer-vitals/privacy`: pseudonymise ids with a keyed hash (`pseudonymise`, Web Crypto
 * HMAC-SHA-256), keep only the fields the analyses read (`minimise`), and state what personal data
 * each module reads (`dataUsed`, `DATA_USED`).
 * @module
 */

export type { ModuleDataNeeds, PrivacyModule } from './dataUsed';
export { DATA_USED, dataUsed } from './dataUsed';
export type { MinimiseOptions, MinimiseResult } from './minimise';
export { minimise } from './minimise';
export type { PseudonymiseEventsOptions, PseudonymiseResult } from './pseudonymise';
export { pseudonymise } from './pseudonymise';
