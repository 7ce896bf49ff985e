import { writeFileSync } from 'node:fs';

export type Figure = number | string | boolean | Record<string, number | string> | null;

interface ScenarioEntry {
  outcome: 'running' | 'passed' | 'failed';
  seconds: number;
  figures: Record<string, Figure>;
  failure?: string;
}

/** What a scenario uses to publish its figures: each one is printed and written to the report at once. */
export type Figures = (values: Record<string, Figure>) => void;

/**
 * The figures of one chaos run: printed as they come and rewritten to `chaos-report.json` after every
 * change, so a run that fails or is interrupted still leaves what it measured.
 */
export class ChaosReport {
  private readonly startedAt = new Date();
  private readonly scenarios: Record<string, ScenarioEntry> = {};
  private readonly suite: Record<string, Figure> = {};

  constructor(
    private readonly scale: string,
    private readonly file = 'chaos-report.json',
  ) {}

  /** Runs one scenario, timing it and recording whether it passed; a failure is rethrown. */
  async run(scenario: string, body: (figures: Figures) => Promise<void>): Promise<void> {
    const entry: ScenarioEntry = { outcome: 'running', seconds: 0, figures: {} };
    this.scenarios[scenario] = entry;
    const started = Date.now();
    const figures: Figures = (values) => {
      Object.assign(entry.figures, values);
      this.print(scenario, values);
      this.write();
    };
    try {
      await body(figures);
      entry.outcome = 'passed';
    } catch (error) {
      entry.outcome = 'failed';
      entry.failure = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      throw error;
    } finally {
      entry.seconds = Math.round((Date.now() - started) / 100) / 10;
      this.print(scenario, { outcome: entry.outcome, seconds: entry.seconds });
      this.write();
    }
  }

  /** Records a figure of the run as a whole (e.g. infrastructure start-up time). */
  note(values: Record<string, Figure>): void {
    Object.assign(this.suite, values);
    this.print('suite', values);
    this.write();
  }

  summary(): string {
    const lines = Object.entries(this.scenarios).map(([name, entry]) => `  ${entry.outcome.padEnd(7)} ${String(entry.seconds).padStart(6)} s  ${name}`);
    const total = Math.round((Date.now() - this.startedAt.getTime()) / 1000);
    return `[chaos] ${this.scale} run, ${total} s, report in ${this.file}\n${lines.join('\n')}\n`;
  }

  private print(scenario: string, values: Record<string, Figure>): void {
    const text = Object.entries(values)
      .map(([key, value]) => `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
      .join(' ');
    process.stdout.write(`[chaos] ${scenario}: ${text}\n`);
  }

  private write(): void {
    const report = {
      scale: this.scale,
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      totalSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 100) / 10,
      suite: this.suite,
      scenarios: this.scenarios,
    };
    writeFileSync(this.file, `${JSON.stringify(report, null, 2)}\n`);
  }
}
