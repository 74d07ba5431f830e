type Step = { what: string; run: () => unknown };

/**
 * Everything the benchmark must release (servers, the database, the temp directory), registered as soon as it is
 * acquired, so that a set-up failing half-way still leaves nothing behind and the process exits by itself.
 */
export class Teardown {
  private readonly steps: Step[] = [];

  add(what: string, run: () => unknown): void {
    this.steps.push({ what, run });
  }

  /** Runs the steps newest first (a server closes before the store under it); one failing does not stop the rest. */
  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        console.error(`bench: could not ${step.what}:`, err);
        process.exitCode = 1;
      }
    }
  }
}

/** Runs `work` with a teardown of its own, run when the work ends, however it ends. */
export async function withTeardown<T>(work: (teardown: Teardown) => Promise<T>): Promise<T> {
  const teardown = new Teardown();
  try {
    return await work(teardown);
  } finally {
    await teardown.runAll();
  }
}
