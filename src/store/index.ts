/**
 * customer-vitals/store: a compact columnar event store and the views the modules read.
 * @module
 */
export type { DictColumn, EventStore, EventStoreOptions, StoreProperty } from './EventStore';
export { dictCode, EventStoreBuilder, isEventStore, STORE_PROPERTIES } from './EventStore';
export type { ScoreHealthFromStoreOptions } from './scoreHealthFromStore';
export { scoreHealthFromStore } from './scoreHealthFromStore';
export { storeEvents, storeTimelines } from './storeEvents';
export type { EventInputLike } from './toEventStore';
export { toEventStore } from './toEventStore';
