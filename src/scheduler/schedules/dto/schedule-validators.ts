import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { cronExpressionProblem, timezoneProblem } from '../../domain/cron-schedule.js';

function fromProblem(
  name: string,
  problem: (value: string) => string | null,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? (problem(args.value) ?? '') : 'must be a string'}`,
      },
    });
  };
}

/** 5 fields, or 6 with seconds first; parsed by croner. */
export const IsCronExpression = (options?: ValidationOptions) =>
  fromProblem('isCronExpression', cronExpressionProblem, options);

/** An IANA time zone name the runtime knows. */
export const IsIanaTimeZone = (options?: ValidationOptions) =>
  fromProblem('isIanaTimeZone', timezoneProblem, options);
