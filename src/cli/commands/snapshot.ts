import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const snapshotCommand: Command = () => {
  console.error('kv-rollover snapshot: not yet available in this build.');
  return Promise.resolve(3);
};
