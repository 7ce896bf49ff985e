import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_SCHEME, BEARER_SCHEME } from '../auth/access.decorator.js';

export function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('longhaul')
    .setDescription(
      'Long-running asynchronous jobs: submit → 202 Accepted → follow by polling, Server-Sent Events or webhooks → fetch the result. Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS (role:name:secret[:tenant])' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key, in a header of its own' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  dedupeSecurity(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** A controller's @Roles and a handler's own both list the schemes; each alternative once is enough. */
function dedupeSecurity(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<{ security?: Array<Record<string, string[]>> } | undefined>) {
      if (!operation || typeof operation !== 'object' || !Array.isArray(operation.security)) continue;
      const seen = new Set<string>();
      operation.security = operation.security.filter((requirement) => {
        const key = JSON.stringify(requirement);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
  }
}
