#!/usr/bin/env node
// `npm start`: install whatever the dev stack needs and is missing (the tools only tests use wait for `npm test`),
// then run the dev stack in this same process (so Ctrl-C and SIGTERM reach the supervisor directly, which stops every
// child by pid).
import { bootstrap } from './bootstrap.mjs';

bootstrap({ profile: 'start' });
const { register } = await import('tsx/esm/api');
register();
await import('../packages/devstack/src/cli.ts');
