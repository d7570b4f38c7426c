#!/bin/sh
# The GPU call of the fine-tuning (see finetune.py): one process per task, all three at once on
# one GPU (round 2 of the model card). Usage:
#   sh congdoan_dev/textbuild/finetune_gpu.sh BUNDLE OUT [extra finetune.py args]
# Round 1 (model card) was: a = --lr 1e-3 --lr-floats 5e-4, b = --lr 3e-3 --lr-floats 1e-3, both
# --batch 32 --epochs 6 --epochs-vihsd 4 --budget 240, six processes at once (b diverged).
set -u
BUNDLE=$1; OUT=$2; shift 2
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=4
mkdir -p "$OUT/logs"
python3 -c "import torch; print(torch.__version__, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu')"
for t in uit_vsfc_sentiment uit_vsfc_topic; do
  python3 congdoan_dev/textbuild/finetune.py --bundle "$BUNDLE" --out "$OUT" --tasks $t \
    --lr 1e-3 --lr-floats 5e-4 --batch 32 --epochs 4 "$@" > "$OUT/logs/$t.log" 2>&1 &
done
python3 congdoan_dev/textbuild/finetune.py --bundle "$BUNDLE" --out "$OUT" --tasks vihsd_toxicity \
  --lr 1e-3 --lr-floats 5e-4 --batch 64 --epochs-vihsd 3 "$@" > "$OUT/logs/vihsd_toxicity.log" 2>&1 &
wait
grep -h "epoch\|done\|Error\|error" "$OUT"/logs/*.log | cut -c1-200
tar -C "$OUT" -cf "$OUT/logs.tar" logs && rm -r "$OUT/logs"
ls -la "$OUT"
