namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>
/// A test of the built images. Outside CI it is skipped, saying so, until <c>./build.sh images</c> has written them;
/// in CI (CI=true) test.sh builds them first, so a missing archive fails the test instead.
/// </summary>
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute()
    {
        if (!ImageArchives.Built && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"the images are not built in {ImageArchives.Folder}: run ./build.sh images";
    }
}

/// <summary>A theory over the built images, skipped or failed as <see cref="ImageFactAttribute"/> says.</summary>
public sealed class ImageTheoryAttribute : TheoryAttribute
{
    public ImageTheoryAttribute() => Skip = new ImageFactAttribute().Skip;
}
