import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const benchCommand: Command = () => {
  console.error('kv-rollover bench: not yet available in this build.');
  return Promise.resolve(3);
};
