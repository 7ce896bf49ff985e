import type { PipeTransform } from '@nestjs/common';
import { ScheduleProblems } from './schedule-problems.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot be a schedule id is an unknown schedule: 404. */
export class ScheduleIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw ScheduleProblems.notFound(value.slice(0, 100));
    return value.toLowerCase();
  }
}
