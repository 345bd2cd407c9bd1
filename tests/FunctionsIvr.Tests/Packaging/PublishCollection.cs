namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// Tests that need the published app share one publish (it takes a while) and run alone, so the
/// publish does not compete for the CPU with tests that are sensitive to a loaded machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishCollection : ICollectionFixture<PublishedApp>
{
    public const string Name = "Publish";
}
