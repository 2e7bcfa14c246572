/**
 * Runs a command-line entry point: its resolved number is the exit code; a failure prints its message (never a
 * stack with configuration in it) on stderr and exits 1.
 */
export function runCli(main: (arg: string | undefined) => Promise<number>): void {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
