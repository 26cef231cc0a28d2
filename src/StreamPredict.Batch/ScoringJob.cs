using System.Diagnostics;
using System.Threading.Channels;
using StreamPredict.Aws.S3;
using StreamPredict.Batch.Output;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch;

/// <summary>
/// The course's score.py as a streaming job: read a month of trips, keep the 1–60-minute rides, predict, and write the
/// course's columns; bad rows go to a rejected file with their reasons. Three stages run at once on bounded queues
/// (decode → classify and predict → encode), so memory holds a few chunks whatever the file's size, and the output only
/// becomes visible when the whole run succeeds.
/// </summary>
public static class ScoringJob
{
    public static async Task<ScoringResult> RunAsync(ScoringRequest request, ScoringOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        string? downloaded = null;
        // One S3 client per run, opened on first use: the input's download and the outputs' upload share it.
        S3ObjectStore? store = null;
        S3ObjectStore S3() => store ??= options.S3();
        try
        {
            var download = Stopwatch.StartNew();
            string localInput;
            if (request.Input.S3 is { } s3)
            {
                downloaded = Path.Combine(options.TempFolder, $"streampredict-input-{Guid.NewGuid():N}-{request.Input.FileName}");
                await S3().DownloadToFileAsync(s3.Bucket, s3.Key, downloaded, cancellationToken).ConfigureAwait(false);
                localInput = downloaded;
            }
            else
            {
                localInput = request.Input.LocalPath!;
                if (!File.Exists(localInput))
                {
                    throw new FileNotFoundException($"The input '{localInput}' does not exist.", localInput);
                }
            }

            download.Stop();
            var reader = await TlcTripReader.OpenFileAsync(localInput, request.Input.FileName, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                options.RowCountKnown?.Invoke(reader.RowCount);
                if (request.TaxiType is { } expected && expected != reader.TaxiType)
                {
                    throw new InvalidDataException(
                        $"{request.Input} holds {reader.TaxiType.Name()} taxi trips ({reader.TaxiType.PickupColumn()}), but --taxi-type is {expected.Name()}.");
                }

                var month = request.Month ?? ScoringMonth.FromFileName(request.Input.FileName) ?? throw new ArgumentException(
                    $"Which month is '{request.Input.FileName}'? Its name has no YYYY-MM (as in green_tripdata_2023-03.parquet): give --year and --month.");
                var sink = await ScoringSinks.CreateAsync(request.Output, reader.TaxiType, month, request.ModelVersion, S3, options.TempFolder, cancellationToken).ConfigureAwait(false);
                await using (sink.ConfigureAwait(false))
                {
                    var run = new Pipeline(reader, sink, request, options);
                    await run.RunAsync(cancellationToken).ConfigureAwait(false);
                    var publish = Stopwatch.StartNew();
                    await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                    publish.Stop();
                    return new ScoringResult
                    {
                        Input = request.Input.ToString(),
                        Output = sink.Destination,
                        RejectedOutput = sink.RejectedDestination,
                        TaxiType = reader.TaxiType.Name(),
                        Month = month,
                        ModelVersion = request.ModelVersion,
                        RowsIn = run.RowsIn,
                        Scored = run.Scored,
                        Filtered = run.Filtered,
                        Rejected = run.Rejected,
                        RejectedByReason = run.RejectedByReason,
                        Seconds = total.Elapsed.TotalSeconds,
                        DownloadSeconds = download.Elapsed.TotalSeconds,
                        DecodeSeconds = run.Decode.TotalSeconds,
                        FeaturesSeconds = run.Features.TotalSeconds,
                        PredictSeconds = run.Predict.TotalSeconds,
                        EncodeSeconds = run.Encode.TotalSeconds,
                        PublishSeconds = publish.Elapsed.TotalSeconds,
                    };
                }
            }
        }
        finally
        {
            store?.Dispose();
            if (downloaded is not null)
            {
                File.Delete(downloaded);
            }
        }
    }

    /// <summary>The three stages and their counters.</summary>
    private sealed class Pipeline(TlcTripReader reader, IScoringSink sink, ScoringRequest request, ScoringOptions options)
    {
        // One decoded chunk waits while the next is decoded; a few scored slices wait for the encoder.
        private readonly Channel<TlcTripChunk> _decoded = Channel.CreateBounded<TlcTripChunk>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        private readonly Channel<ScoredChunk> _scored = Channel.CreateBounded<ScoredChunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        private readonly SortedDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);

        public long RowsIn { get; private set; }

        public long Scored { get; private set; }

        public long Filtered { get; private set; }

        public long Rejected { get; private set; }

        public IReadOnlyDictionary<string, long> RejectedByReason => _rejectedByReason;

        public TimeSpan Decode { get; private set; }

        public TimeSpan Features { get; private set; }

        public TimeSpan Predict { get; private set; }

        public TimeSpan Encode { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var stages = new[]
            {
                Stage(() => DecodeAsync(failed.Token), failed),
                Stage(() => ScoreAsync(failed.Token), failed),
                Stage(() => EncodeAsync(failed.Token), failed),
            };
            try
            {
                await Task.WhenAll(stages).ConfigureAwait(false);
            }
            catch
            {
                // Report the failure that stopped the run, not the cancellations it caused in the other stages.
                var first = stages.Where(s => s.IsFaulted).Select(s => s.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
                if (first is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
                }

                throw;
            }
            finally
            {
                while (_decoded.Reader.TryRead(out var chunk))
                {
                    chunk.Dispose();
                }

                while (_scored.Reader.TryRead(out var chunk))
                {
                    chunk.Dispose();
                }
            }
        }

        /// <summary>Runs a stage on the thread pool; its failure stops the others.</summary>
        private static Task Stage(Func<Task> body, CancellationTokenSource failed) => Task.Run(async () =>
        {
            try
            {
                await body().ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        });

        private async Task DecodeAsync(CancellationToken cancellationToken)
        {
            try
            {
                var clock = new Stopwatch();
                // Decode the next chunk only once the scorer has taken the last one: two chunks live at most (one being
                // scored, one being decoded). A chunk is at most TlcParquetReader.ChunkRows rows whatever the file's row
                // groups (the reader decodes page by page), so memory does not grow with the file or its layout.
                while (await _decoded.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                {
                    clock.Restart();
                    var chunk = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    Decode += clock.Elapsed;
                    if (chunk is null)
                    {
                        break;
                    }

                    await _decoded.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                _decoded.Writer.Complete();
            }
            catch (Exception exception)
            {
                _decoded.Writer.Complete(exception);
                throw;
            }
        }

        private async Task ScoreAsync(CancellationToken cancellationToken)
        {
            try
            {
                var clock = new Stopwatch();
                await foreach (var trips in _decoded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    using (trips)
                    {
                        for (var start = 0; start < trips.Count; start += options.SliceRows)
                        {
                            var length = Math.Min(options.SliceRows, trips.Count - start);
                            clock.Restart();
                            var slice = ScoredChunk.Classify(trips.Trips.Slice(start, length), trips.FirstRowIndex + start, reader.TaxiType);
                            Features += clock.Elapsed;
                            try
                            {
                                clock.Restart();
                                slice.Predict(request.Model, options.Parallelism);
                                Predict += clock.Elapsed;
                                await _scored.Writer.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
                            }
                            catch
                            {
                                slice.Dispose();
                                throw;
                            }
                        }
                    }
                }

                _scored.Writer.Complete();
            }
            catch (Exception exception)
            {
                _scored.Writer.Complete(exception);
                throw;
            }
        }

        private async Task EncodeAsync(CancellationToken cancellationToken)
        {
            var clock = new Stopwatch();
            await foreach (var chunk in _scored.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (chunk)
                {
                    clock.Restart();
                    await sink.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    Encode += clock.Elapsed;
                    RowsIn += chunk.RowsIn;
                    Scored += chunk.Scored;
                    Filtered += chunk.Filtered;
                    Rejected += chunk.Rejected.Count;
                    foreach (var row in chunk.Rejected)
                    {
                        _rejectedByReason[row.Code] = _rejectedByReason.GetValueOrDefault(row.Code) + 1;
                    }

                    options.Progress?.Report(RowsIn);
                }
            }
        }
    }
}
