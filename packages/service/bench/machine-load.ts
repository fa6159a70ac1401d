import { readdirSync, readFileSync } from 'node:fs';
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
  /** CPU of every PostgreSQL process on this machine, in cores; null where /proc cannot tell. */
  readonly postgresCores: number | null;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds used so far by every process named `postgres` (the server and its backends). */
function readPostgresSeconds(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // the process ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after the name: state is field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    }
    return ticks / USER_HZ;
  } catch {
    return null;
  }
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
  const postgres = readPostgresSeconds();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = process.hrtime.bigint();
  return () => {
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3;
    const used = process.cpuUsage(cpu);
    const after = readProcStat();
    const postgresAfter = readPostgresSeconds();
    return {
      machineBusy:
        stat === null || after === null || after.total === stat.total
          ? null
          : (after.busy - stat.busy) / (after.total - stat.total),
      processCores: (used.user + used.system) / wallUs,
      eventLoopBusy: performance.eventLoopUtilization(loop).utilization,
      // Backends that ended during the stretch take their CPU with them: a lower bound.
      postgresCores:
        postgres === null || postgresAfter === null
          ? null
          : Math.max(0, postgresAfter - postgres) / (wallUs / 1e6),
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
