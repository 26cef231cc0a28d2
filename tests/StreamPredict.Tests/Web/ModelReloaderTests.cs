using StreamPredict.Model.Artifact;
using StreamPredict.Serving.Models;

namespace StreamPredict.Tests.Web;

/// <summary>The reloader over a real model file: a changed stamp loads and swaps, a bad model keeps the old one.</summary>
public sealed class ModelReloaderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("reloader-");

    private string ModelPath => Path.Combine(_folder.FullName, ModelLoader.ModelFileName);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_changed_model_is_swapped_in_an_unchanged_one_is_not_and_a_bad_one_keeps_the_old()
    {
        Write("v1");
        var holder = new ModelHolder();
        using var reloader = new ModelReloader(ModelLocation.Parse(_folder.FullName, "MODEL_LOCATION"), holder, null);
        var checks = new List<ModelCheck>();
        reloader.Checked += checks.Add;

        var first = await reloader.LoadFirstAsync(CancellationToken.None);
        Assert.Same(first, holder.Current);
        Assert.Equal(ModelCheckResult.Unchanged, (await reloader.CheckAsync(force: false, CancellationToken.None)).Result);

        Write("v2");
        var reloaded = await reloader.CheckAsync(force: false, CancellationToken.None);
        Assert.Equal((ModelCheckResult.Reloaded, "v2"), (reloaded.Result, reloaded.Version));
        Assert.Equal("v2", holder.Current!.Version);
        Assert.NotSame(first, holder.Current);

        await File.WriteAllTextAsync(ModelPath, "{ not a model");
        var failed = await reloader.CheckAsync(force: false, CancellationToken.None);
        Assert.Equal(ModelCheckResult.Failed, failed.Result);
        Assert.Contains("was refused", failed.Error, StringComparison.Ordinal);
        Assert.Equal("v2", holder.Current.Version);
        Assert.Equal(ModelCheckResult.SkippedKnownBad, (await reloader.CheckAsync(force: false, CancellationToken.None)).Result);
        Assert.Equal(ModelCheckResult.Failed, (await reloader.CheckAsync(force: true, CancellationToken.None)).Result);

        Assert.Equal((1, 2), (reloader.Reloads, reloader.Failures));
        Assert.Equal([ModelCheckResult.Reloaded, ModelCheckResult.Failed, ModelCheckResult.SkippedKnownBad, ModelCheckResult.Failed], checks.Select(c => c.Result));
    }

    [Fact]
    public async Task A_requested_check_runs_without_a_poll_period()
    {
        Write("v1");
        var holder = new ModelHolder();
        using var reloader = new ModelReloader(ModelLocation.Parse(ModelPath, "MODEL_LOCATION"), holder, null);
        await reloader.LoadFirstAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reloaded = new TaskCompletionSource<ModelCheck>();
        reloader.Checked += check => reloaded.TrySetResult(check);
        var loop = reloader.RunAsync(period: null, stop.Token);

        Write("v2");
        reloader.RequestCheck();

        Assert.Equal("v2", (await reloaded.Task.WaitAsync(stop.Token)).Version);
        await stop.CancelAsync();
        await loop;
    }

    private void Write(string version) => ModelArtifactWriter.WriteFile(new ModelArtifact
    {
        Name = "reload-test",
        Version = version,
        Features = new FeatureSpec { Columns = ["trip_distance"] },
        Estimator = new EstimatorSpec { Kind = EstimatorSpec.LinearKind, Intercept = 1, Weights = [2] },
        Training = new TrainingMetadata { Producer = "test", Source = "hand" },
    }, ModelPath);
}
