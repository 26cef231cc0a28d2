using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// Cut and corrupted copies of the layouts the course fixtures lack (protocol 5 buffers, numpy 2 names, sklearn 1.4
/// losses, XGBoost JSON and UBJSON): a model or a <see cref="ModelLoadException"/>, never another exception.
/// </summary>
[Collection(GeneratedModelsGroup.Name)]
public sealed class GeneratedModelFuzzTests(GeneratedModels models)
{
    private const int Mutants = 300;

    [SklearnTheory]
    [InlineData("boosting@sk14")]
    [InlineData("forest@protocol5")]
    [InlineData("linear@numpy2-protocol5")]
    [InlineData("boosting@protocol2")]
    public void Corrupt_pickles_load_or_are_refused(string name) =>
        AssertNeverCrashes(File.ReadAllBytes(models.Sklearn(name)), new ModelReadOptions());

    [XgboostTheory]
    [InlineData("xgb.json")]
    [InlineData("xgb.ubj")]
    [InlineData("xgb-dense.ubj")]
    public void Corrupt_xgboost_models_load_or_are_refused(string file)
    {
        string vectorizer = models.Xgboost(file.Replace(".json", ".preprocessor.b", StringComparison.Ordinal).Replace(".ubj", ".preprocessor.b", StringComparison.Ordinal));

        AssertNeverCrashes(File.ReadAllBytes(models.Xgboost(file)), new ModelReadOptions { DictVectorizerPickle = File.ReadAllBytes(vectorizer) });
    }

    // A third of the mutants are cut at a random length; the rest get 1 to 3 random bytes, half of them in the first
    // 4 KiB, where the structure is densest.
    private static void AssertNeverCrashes(byte[] original, ModelReadOptions options)
    {
        var random = new Random(original.Length);
        for (int mutant = 0; mutant < Mutants; mutant++)
        {
            byte[] data = (byte[])original.Clone();
            int length = mutant % 3 == 0 ? random.Next(data.Length) : data.Length;
            var flips = new List<string>();
            for (int n = mutant % 3 == 0 ? 0 : random.Next(1, 4); n > 0; n--)
            {
                int at = mutant % 2 == 0 ? random.Next(Math.Min(4096, data.Length)) : random.Next(data.Length);
                data[at] = (byte)random.Next(256);
                flips.Add($"{at}={data[at]:x2}");
            }

            Exception? error = Record.Exception(() => ModelFormats.Load(data.AsMemory(0, length), options));
            Assert.True(error is null or ModelLoadException,
                $"length {length}, flips {string.Join(", ", flips)}: {error?.GetType().Name}: {error?.Message}\n{error?.StackTrace}");
        }
    }
}
