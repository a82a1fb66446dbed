import { runOps } from '../src/index.js';

/** Runs an ops command in-process, as `npm run ops` does, with captured output. */
export async function ops(argv: string[], env: NodeJS.ProcessEnv, stdin?: string) {
  let out = '';
  let err = '';
  const code = await runOps(
    argv,
    {
      out: (s) => void (out += s),
      err: (s) => void (err += s),
      ...(stdin !== undefined ? { stdin: async () => stdin } : {}),
    },
    env,
  );
  return { code, out, err, json: <T = Record<string, unknown>>() => JSON.parse(out) as T };
}
