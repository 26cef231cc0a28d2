using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// Truncated and corrupted copies of the course's two pickles: every outcome is a model or a
/// <see cref="ModelLoadException"/>, never another exception (IndexOutOfRange, NullReference, InvalidCast, overflow).
/// </summary>
public class PickleFuzzTests
{
    public static TheoryData<string> Pickles => new() { "course-model/model.pkl", "lin_reg.bin" };

    /// <summary>
    /// Every cut in the first 8 KiB (the opcodes that start a model: globals, the vectorizer, the first trees' dtypes
    /// and arrays) and the last 2 KiB (the closing BUILDs and STOP), and every 307th cut between. Every opcode kind
    /// occurs in the exhaustive parts, and a cut inside a long payload fails the same way wherever it falls, so the
    /// stride saves time (each cut re-reads the pickle up to it) without skipping a kind of failure.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pickles))]
    public void Every_truncation_is_refused_with_a_model_load_error(string fixture)
    {
        byte[] pickle = File.ReadAllBytes(ModelTestFiles.TestData(fixture));
        int cuts = 0;
        for (int length = 0; length < pickle.Length; length += length < 8192 || length > pickle.Length - 2048 ? 1 : 307)
        {
            Exception? error = Record.Exception(() => ModelFormats.Load(pickle.AsMemory(0, length)));
            Assert.True(error is ModelLoadException, $"cut at {length} of {pickle.Length}: {error?.GetType().Name ?? "no error"}: {error?.Message}");
            cuts++;
        }

        Assert.True(cuts > 10_000);
    }

    [Theory]
    [MemberData(nameof(Pickles))]
    public void Random_byte_flips_load_or_are_refused_but_never_crash(string fixture)
    {
        byte[] original = File.ReadAllBytes(ModelTestFiles.TestData(fixture));
        var random = new Random(fixture.Length);
        int refused = 0;
        const int Mutants = 400;
        for (int mutant = 0; mutant < Mutants; mutant++)
        {
            byte[] pickle = (byte[])original.Clone();
            var flips = new List<string>();
            for (int n = random.Next(1, 5); n > 0; n--)
            {
                // Half the flips land in the first 8 KiB, where the structure is dense; the rest anywhere.
                int at = mutant % 2 == 0 ? random.Next(Math.Min(8192, pickle.Length)) : random.Next(pickle.Length);
                pickle[at] = (byte)random.Next(256);
                flips.Add($"{at}={pickle[at]:x2}");
            }

            Exception? error = Record.Exception(() => ModelFormats.Load(pickle));
            Assert.True(error is null or ModelLoadException,
                $"flips {string.Join(", ", flips)}: {error?.GetType().Name}: {error?.Message}\n{error?.StackTrace}");
            refused += error is null ? 0 : 1;
        }

        Assert.InRange(refused, Mutants / 10, Mutants);
    }
}
