// `pnpm --filter @isola/contracts openapi`: builds this package, then writes docs/openapi.json from
// buildOpenApiDocument(), formatted with the repository's Prettier settings. A unit test
// (src/openapi/openapi.spec.ts) fails when the committed file differs from what the builder produces.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { API_ERROR_CODES, buildOpenApiDocument } from '../dist/index.js';

const target = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
const document = buildOpenApiDocument();
const text = await format(JSON.stringify(document), { ...(await resolveConfig(target)), filepath: target });
await writeFile(target, text);

const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`wrote ${target}: ${operations} operations, ${API_ERROR_CODES.length} error codes, ${text.length} bytes`);
