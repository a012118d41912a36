// Plain JavaScript so that the worker can start without a TypeScript loader, then register tsx.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
