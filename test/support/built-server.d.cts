import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const SERVER_MAIN: string;
export declare const TEST_DATABASE_URL: string;

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  proc: ChildProcess;
  /** Everything the process printed so far (its last `keepChars`). */
  output(): string;
  /**
   * Sends a signal (SIGINT: a clean shutdown) and waits for the process to exit, sending SIGKILL
   * after `graceMs` if given; resolves to its exit code (null when a signal ended it).
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  /** Node options put before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** Called with every non-empty line the server prints. */
  onLine?: (line: string) => void;
  /** Another build of the server to run (default server/dist/main.js). */
  main?: string;
  /** How much of the output to keep (default all). */
  keepChars?: number;
  /** The test expects the server to exit by itself: its exit is not reported as a crash. */
  exitExpected?: boolean;
}

export declare function startServer(env: Record<string, string | undefined>, options?: StartOptions): Promise<ServerProcess>;

/** The `stop` of a child process, as ServerProcess has it; `exited` resolves to its exit code. */
export declare function stopper(proc: ChildProcess, exited: Promise<number | null>): ServerProcess['stop'];

export declare function runServerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }>;

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export declare function freshDatabase(prefix?: string): Promise<FreshDatabase>;
