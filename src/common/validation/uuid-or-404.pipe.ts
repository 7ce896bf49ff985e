import type { PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot be a UUID names nothing: 404 with the resource's own problem type. */
export class UuidOr404 implements PipeTransform<string, string> {
  constructor(private readonly notFound: (id: string) => Error) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw this.notFound(value.slice(0, 100));
    return value.toLowerCase();
  }
}
