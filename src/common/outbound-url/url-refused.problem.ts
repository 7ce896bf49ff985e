import { ProblemException } from '../problem/problem.exception.js';

/** A webhook or callback URL the outbound guard refuses (its problem type predates the shared guard). */
export const urlRefused = (reason: string) => new ProblemException(422, 'webhook-url-refused', 'Webhook URL refused', reason);
