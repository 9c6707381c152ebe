import type { Command } from './index.js';

// Not built yet: tracked by the open issues (see README, "Status").
export const demoCommand: Command = () => {
  console.error('kv-rollover demo: not yet available in this build.');
  return Promise.resolve(3);
};
