import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { security?: Array<Record<string, string[]>> };

/**
 * Every operation states its security: what @Roles declared (each alternative once — a controller's
 * and a handler's rules both list the schemes), or `[]` for the public ones (health, the webhooks
 * longhaul sends, which receivers verify by signature).
 */
export function withExplicitSecurity(document: OpenAPIObject): OpenAPIObject {
  const sections = [document.paths, (document as { webhooks?: OpenAPIObject['paths'] }).webhooks ?? {}];
  for (const section of sections) {
    for (const item of Object.values(section)) {
      for (const operation of Object.values(item) as Array<Operation | undefined>) {
        if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
        operation.security = distinct(operation.security ?? []);
      }
    }
  }
  return document;
}

function distinct(requirements: Array<Record<string, string[]>>): Array<Record<string, string[]>> {
  const seen = new Set<string>();
  return requirements.filter((requirement) => {
    const key = JSON.stringify(requirement);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
