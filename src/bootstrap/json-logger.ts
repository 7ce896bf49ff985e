import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** One JSON object per line on stdout (Nest's own JSON mode). */
export function jsonLogger(level: AppConfig['logLevel']): ConsoleLogger {
  return new ConsoleLogger({ json: true, logLevels: LEVELS[level], colors: false });
}
