import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const renewCommand: Command = () => {
  console.error('kv-rollover renew: not yet available in this build.');
  return Promise.resolve(3);
};
