import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const planCommand: Command = () => {
  console.error('kv-rollover plan: not yet available in this build.');
  return Promise.resolve(3);
};
