/** The traffic engine: pure, in memory (see types.ts and docs/TRAFFIC-ENGINE.md). */
export * from './embedding.ts';
export * from './feed-engine.ts';
export * from './types.ts';
