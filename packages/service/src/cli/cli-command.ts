/** Where a command writes and which environment it reads. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
}

/** A command: its arguments after the name → the exit code. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;
