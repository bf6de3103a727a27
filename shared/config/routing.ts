// The routing table (data/routing.json), read and validated once per process.
import { parseRoutingTable, type RoutingTable } from '../domain/routing/routing.js';
import { parsedJsonDataFile } from './data-files.js';

let routing: RoutingTable | undefined;
export function loadRoutingTable(): RoutingTable {
  routing ??= parsedJsonDataFile('routing.json', parseRoutingTable);
  return routing;
}
