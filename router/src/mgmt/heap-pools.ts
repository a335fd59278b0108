/**
 * The `allocator` entities of a Skiff router: skupper-router lists its C allocator's pools there
 * (what skstat -m shows); Skiff's memory is one V8 heap, so each heap space is a pool, counted in
 * bytes: typeSize 1, allocated = the space's size, freed = what of it is unused, so the "total"
 * skstat prints is the bytes in use and its "Pooled" sum is the heap in use.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import type { ManagedAttributes } from './wire-values.js';

export function heapPools(): ManagedAttributes[] {
  return getHeapSpaceStatistics().map((space) => ({
    typeName: space.space_name,
    typeSize: 1,
    transferBatchSize: 0,
    localFreeListMax: 0,
    globalFreeListMax: 0,
    totalAllocFromHeap: space.space_size,
    totalFreeToHeap: space.space_size - space.space_used_size,
    heldByThreads: 0,
    batchesRebalancedToThreads: 0,
    batchesRebalancedToGlobal: 0,
    name: `allocator/${space.space_name}`,
    identity: `allocator/${space.space_name}`,
  }));
}
