using System.Text.Json;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>
/// Per shard, the sequence number of the last record fully handled (predicted, dead-lettered or written to the
/// failure file). Saved after every batch by writing a temporary file and renaming it over the old one, so a crash
/// leaves either the old or the new checkpoint, never a torn one. A restart resumes AFTER_SEQUENCE_NUMBER.
/// </summary>
/// <remarks>File: <c>{"stream":"ride_events","updatedAt":"…","shards":{"shardId-000000000000":"4963…"}}</c>.</remarks>
public sealed class CheckpointStore
{
    private readonly Dictionary<string, string> _shards = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private CheckpointStore(string? path, string stream)
    {
        Path = path;
        Stream = stream;
    }

    /// <summary>Null keeps the checkpoint in memory only.</summary>
    public string? Path { get; }

    public string Stream { get; }

    public static CheckpointStore InMemory(string stream) => new(null, stream);

    /// <summary>Opens the file if it exists (it must belong to <paramref name="stream"/>), or starts empty.</summary>
    public static CheckpointStore Open(string path, string stream)
    {
        var store = new CheckpointStore(System.IO.Path.GetFullPath(path), stream);
        if (!File.Exists(path))
        {
            return store;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var owner = root.TryGetProperty("stream", out var name) ? name.GetString() : null;
            if (owner != stream)
            {
                throw new InvalidDataException($"checkpoint '{path}' belongs to stream '{owner}', not '{stream}'; use another --checkpoint file.");
            }

            if (root.TryGetProperty("shards", out var shards) && shards.ValueKind == JsonValueKind.Object)
            {
                foreach (var shard in shards.EnumerateObject())
                {
                    store._shards[shard.Name] = shard.Value.GetString()
                        ?? throw new InvalidDataException($"checkpoint '{path}': shard {shard.Name} has no sequence number.");
                }
            }
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"checkpoint '{path}' is not a checkpoint file: {exception.Message}", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidDataException($"checkpoint '{path}' has a wrongly typed member: {exception.Message}", exception);
        }

        return store;
    }

    public string? Get(string shardId)
    {
        lock (_lock)
        {
            return _shards.GetValueOrDefault(shardId);
        }
    }

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, string>(_shards, StringComparer.Ordinal);
        }
    }

    /// <summary>Records progress for one shard and persists the whole checkpoint before returning.</summary>
    public void Set(string shardId, string sequenceNumber)
    {
        lock (_lock)
        {
            _shards[shardId] = sequenceNumber;
            if (Path is null)
            {
                return;
            }

            var temporary = Path + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("stream", Stream);
                    writer.WriteString("updatedAt", DateTimeOffset.UtcNow);
                    writer.WriteStartObject("shards");
                    foreach (var (shard, sequence) in _shards.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                    {
                        writer.WriteString(shard, sequence);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
    }
}
