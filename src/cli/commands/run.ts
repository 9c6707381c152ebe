import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const runCommand: Command = () => {
  console.error('kv-rollover run: not yet available in this build.');
  return Promise.resolve(3);
};
