#!/bin/sh
# The benchmark as a Slurm array: one task per shard, then a merge.
#
#   job=$(sbatch --parsable examples/slurm-array.sh)
#   sbatch --dependency=afterany:$job examples/slurm-array.sh merge
#
# Run from the ftmatrix checkout (make ftmatrix first). Each task measures
# its shard on the node it gets, with the whole node to itself
# (--exclusive), so its ratios are measured on one quiet machine; the merge
# says which shard is missing when a task failed. MATRIX, OUT and the
# array's size can be changed; the array's size is the number of shards.
#SBATCH --job-name=ftmatrix
#SBATCH --array=1-4
#SBATCH --exclusive
#SBATCH --time=02:00:00
#SBATCH --output=ftmatrix-%A-%a.log
set -eu

MATRIX=${MATRIX:-matrices/catalog.yaml}
OUT=${OUT:-results/slurm}
FTMATRIX=${FTMATRIX:-./ftmatrix}

if [ "${1:-}" = merge ]; then
	exec "$FTMATRIX" merge "$OUT"/shard-*/results.json -o "$OUT/merged"
fi
: "${SLURM_ARRAY_TASK_ID:?run as a Slurm array task (sbatch), or with merge}"
shards=${SLURM_ARRAY_TASK_COUNT:-4}
exec "$FTMATRIX" run "$MATRIX" --shard "$SLURM_ARRAY_TASK_ID/$shards" \
	-o "$OUT/shard-$SLURM_ARRAY_TASK_ID" -k
