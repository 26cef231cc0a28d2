#!/bin/bash
# LocalStack "ready" hook: creates the streams and the model bucket that template.yaml creates on AWS.
# Idempotent, so it also works with LocalStack persistence. Stream encryption is left off: LocalStack has no
# AWS managed key for Kinesis, and the function does not see encryption (Kinesis decrypts before delivery).
set -euo pipefail

for stream in "$INPUT_STREAM_NAME" "$OUTPUT_STREAM_NAME" "$REJECTIONS_STREAM_NAME"; do
  if ! awslocal kinesis describe-stream-summary --stream-name "$stream" >/dev/null 2>&1; then
    awslocal kinesis create-stream --stream-name "$stream" --shard-count "$SHARD_COUNT"
  fi
  awslocal kinesis wait stream-exists --stream-name "$stream"
  echo "streampredict: stream $stream is active"
done

if ! awslocal s3api head-bucket --bucket "$MODEL_BUCKET" >/dev/null 2>&1; then
  region="${AWS_DEFAULT_REGION:-us-east-1}"
  # S3 rejects an explicit LocationConstraint for us-east-1 and requires one everywhere else.
  if [[ "$region" == "us-east-1" ]]; then
    awslocal s3api create-bucket --bucket "$MODEL_BUCKET"
  else
    awslocal s3api create-bucket --bucket "$MODEL_BUCKET" --create-bucket-configuration "LocationConstraint=$region"
  fi
fi
awslocal s3api put-public-access-block --bucket "$MODEL_BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
# Versioning last: the compose healthcheck waits for it, so "healthy" means everything above is done.
awslocal s3api put-bucket-versioning --bucket "$MODEL_BUCKET" --versioning-configuration Status=Enabled
echo "streampredict: bucket $MODEL_BUCKET is ready"
