import type { PkiOptions } from './pki/pki.js';
import type { SealKeyMode } from './pki/seal-key.js';
import type { StackPki } from './pki/stack-pki.js';
import type { ManagedProcess } from './process.js';
import type { RunningService, ServiceName } from './services.js';
import type { StackPorts } from './stack-ports.js';

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  s3: { accessKey: string; secretKey: string; buckets: { documents: string; archive: string } };
  /** Redis with an append-only file (dev stack) or without persistence (throwaway test instances). */
  persistentRedis: boolean;
  /** Where the seal key lives: a PKCS#12 file (default, the dev stack) or a SoftHSM2 token used over PKCS#11. */
  sealKey?: SealKeyMode;
  /** The test PKI's lifetimes and TSAs, when it is made (its first start in `dataDir`). */
  pki?: PkiOptions;
  services: readonly ServiceName[];
  /** Variables merged last into the services' environment (tests shorten the URL notification retries with it). */
  extraEnv?: Record<string, string>;
  /**
   * Run the services from the bundles in this dir (scripts/build-services.mjs with `linkExternals`), as the container
   * image does, instead of their sources by tsx; the orchestrator runs the prebuilt workflow bundle there.
   */
  bundleDir?: string;
  log?: (message: string) => void;
}

export interface Stack {
  /** Environment for the project's services (and for tests acting as one) pointing at this stack. */
  env: Record<string, string>;
  urls: {
    api: string;
    /** The gateway's operator port: `/healthz`, `/readyz`, `/metrics`, `POST /diagnostics/roundtrip`. */
    gatewayOperator: string;
    /** The signing portal's origin (signers open `${portal}/std/docaction?…`). */
    portal: string;
    /** The portal's operator port: `/healthz`, `/readyz`, `/metrics`. */
    portalOperator: string;
    temporal: string;
    temporalUi?: string;
    mailUi: string;
    /** The dev SMS sink's base URL; its inbox is `${smsSink}/messages`. */
    smsSink: string;
    s3: string;
    redis: string;
    /** The test PKI's server (certomancer). */
    pki: string;
  };
  /** The test PKI: its trust root, TSAs, and revocation of its certificates. */
  pki: StackPki;
  services: RunningService[];
  /** Child processes, by pid. The SMS sink runs in this process and is not among them; stop() stops it too. */
  processes: ManagedProcess[];
  logDir: string;
  stop(): Promise<void>;
  /** Kills one of the stack's services by pid (SIGKILL unless told otherwise) and resolves once it has exited. */
  killService(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts one of the stack's services again (after killService, or after it died) with the same environment, ports
   * and log file, and waits until it is ready. It replaces the old entry in `services` and `processes`.
   */
  startService(name: ServiceName): Promise<RunningService>;
  /**
   * Stops one server (SIGTERM, then SIGKILL after `graceMs`, default 10 s; at once with `kill`), waits `downMs`, and
   * starts it again on the same port and data dir (Temporal: the same SQLite file; Redis: its append-only file when
   * persistent; SeaweedFS: its volumes), waiting until it is ready. The new process replaces the old one in
   * `processes`.
   */
  restartServer(
    name: ServerName,
    opts?: { kill?: boolean; graceMs?: number; downMs?: number },
  ): Promise<ManagedProcess>;
}

/** The servers of a stack, by the name of their process. */
export type ServerName = 'temporal' | 'seaweedfs' | 'redis' | 'maildev' | 'certomancer';
