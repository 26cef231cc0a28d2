using StreamPredict.LocalLambda.EventSourceMapping;

namespace StreamPredict.Tests.Cli;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("checkpoint-tests-");

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_reopened_checkpoint_has_every_shards_last_sequence_number()
    {
        var path = PathOf("cp.json");
        var store = CheckpointStore.Open(path, "ride_events");
        store.Set("shardId-000000000000", "100");
        store.Set("shardId-000000000001", "205");
        store.Set("shardId-000000000000", "150");

        var reopened = CheckpointStore.Open(path, "ride_events");

        Assert.Equal("150", reopened.Get("shardId-000000000000"));
        Assert.Equal("205", reopened.Get("shardId-000000000001"));
        Assert.Null(reopened.Get("shardId-000000000002"));
        Assert.False(File.Exists(path + ".tmp"), "the temporary file is renamed over the checkpoint");
    }

    [Fact]
    public void A_missing_file_starts_empty_and_is_created_on_the_first_set()
    {
        var path = PathOf("new.json");
        var store = CheckpointStore.Open(path, "s");

        Assert.Empty(store.Snapshot());
        Assert.False(File.Exists(path));
        store.Set("shard", "1");
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void A_checkpoint_of_another_stream_is_refused_with_both_names()
    {
        var path = PathOf("other.json");
        CheckpointStore.Open(path, "ride_events").Set("shard", "1");

        var error = Assert.Throws<InvalidDataException>(() => CheckpointStore.Open(path, "other_stream"));

        Assert.Contains("ride_events", error.Message, StringComparison.Ordinal);
        Assert.Contains("other_stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused_naming_the_file()
    {
        var path = PathOf("garbage.json");
        File.WriteAllText(path, "not json at all");

        var error = Assert.Throws<InvalidDataException>(() => CheckpointStore.Open(path, "s"));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_in_memory_store_keeps_progress_without_a_file()
    {
        var store = CheckpointStore.InMemory("s");
        store.Set("a", "7");

        Assert.Null(store.Path);
        Assert.Equal("7", store.Get("a"));
    }
}
