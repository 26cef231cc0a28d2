namespace StreamPredict.IntegrationTests.Infrastructure;

/// <summary>Tests marked <c>[Collection(Emulators.Collection)]</c> share one <see cref="EmulatorFixture"/>.</summary>
[CollectionDefinition(Collection)]
public sealed class Emulators : ICollectionFixture<EmulatorFixture>
{
    public const string Collection = "emulators";
}
