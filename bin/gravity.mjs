#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx gravity …` works in a checkout with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
