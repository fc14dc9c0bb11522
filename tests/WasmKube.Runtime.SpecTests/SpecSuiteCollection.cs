namespace WasmKube.Runtime.SpecTests;

[CollectionDefinition(Name)]
public sealed class SpecSuiteCollection : ICollectionFixture<SpecSuiteFixture>
{
    public const string Name = "WebAssembly spec suite";
}
