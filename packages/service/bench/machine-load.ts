import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Where the CPU went during a measured stretch. */
export interface LoadReading {
  /** Busy share of the whole machine (all cores), from /proc/stat; null where unavailable. */
  readonly machineBusy: number | null;
  /** CPU of this process (server and load generator) in cores: 1 means one core fully busy. */
  readonly processCores: number;
  /** The share of time this process's event loop was busy. */
  readonly eventLoopBusy: number;
}

function readProcStat(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Starts measuring; the returned function reads the CPU spent since.
 *
 * @example
 * const stop = startLoadReading();
 * await work();
 * const { machineBusy, processCores } = stop();
 */
export function startLoadReading(): () => LoadReading {
  const stat = readProcStat();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = process.hrtime.bigint();
  return () => {
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3;
    const used = process.cpuUsage(cpu);
    const after = readProcStat();
    return {
      machineBusy:
        stat === null || after === null || after.total === stat.total
          ? null
          : (after.busy - stat.busy) / (after.total - stat.total),
      processCores: (used.user + used.system) / wallUs,
      eventLoopBusy: performance.eventLoopUtilization(loop).utilization,
    };
  };
}

/**
 * The machine in one line: cores, CPU model, Node version.
 *
 * @example
 * describeMachine(); // '2 cores (AMD EPYC), Node v20.20.2'
 */
export function describeMachine(): string {
  const list = cpus();
  return `${list.length} cores (${list[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`;
}
