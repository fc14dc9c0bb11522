using System.CommandLine;
using System.Runtime.InteropServices;

namespace WasmKube.Cli.Image;

/// <summary>
/// <c>wasmkube image build --module app.wasm [--file host=guest]... -t NAME:TAG -o image.tar</c>: an OCI image
/// FROM scratch with the module as its entrypoint, written as an OCI layout archive for `ctr image import`.
/// </summary>
public static class ImageCommand
{
    public static Command Create()
    {
        var image = new Command("image", "Build OCI images of wasm modules.");
        image.Add(CreateBuild());
        return image;
    }

    private static Command CreateBuild()
    {
        var module = new Option<string>("--module", "-m") { Description = "The .wasm module; it becomes the image's entrypoint.", HelpName = "FILE", Required = true };
        var files = new Option<string[]>("--file")
        {
            Description = "Also put a host file into the image, as HOST_PATH=IMAGE_PATH (repeatable).",
            HelpName = "HOST=GUEST",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var tag = new Option<string>("--tag", "-t") { Description = "The image name, NAME[:TAG].", HelpName = "NAME:TAG", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the OCI layout archive (.tar).", HelpName = "FILE", Required = true };
        var modulePath = new Option<string>("--module-path") { Description = "Path of the module inside the image.", DefaultValueFactory = _ => "/app.wasm" };
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable of the image, NAME=VALUE (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var linux = new Option<bool>("--linux-compatible")
        {
            Description = "Label the image linux/<this machine's arch> instead of wasi/wasm, so containerd 1.6 and kubelet, which only unpack images of the node's platform, accept it.",
        };
        var args = new Argument<string[]>("ARGS") { Description = "Arguments given to the module after its name (the image's Cmd).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("build", "Build an image FROM scratch holding a wasm module as its entrypoint.")
        {
            module, files, tag, output, modulePath, env, linux, args,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var outputPath = parseResult.GetValue(output)!;
            try
            {
                var options = new ImageBuildOptions
                {
                    ModulePath = parseResult.GetValue(module)!,
                    ModuleImagePath = parseResult.GetValue(modulePath)!,
                    Files = (parseResult.GetValue(files) ?? []).Select(ImageFile.Parse).ToList(),
                    Reference = ImageReference.Parse(parseResult.GetValue(tag)!),
                    Platform = parseResult.GetValue(linux) ? LinuxPlatform() : ImagePlatform.Wasi,
                    Env = parseResult.GetValue(env) ?? [],
                    Args = parseResult.GetValue(args) ?? [],
                };
                string digest;
                var temporary = outputPath + ".partial";
                using (var stream = File.Create(temporary))
                {
                    digest = OciImageBuilder.Build(options, stream);
                }

                File.Move(temporary, outputPath, overwrite: true);
                parseResult.InvocationConfiguration.Output.WriteLine(
                    $"built {options.Reference} ({options.Platform}, manifest {digest}) into {outputPath}; load it with: ctr image import {outputPath}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                File.Delete(outputPath + ".partial");
                error.WriteLine($"wasmkube image build: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static ImagePlatform LinuxPlatform() => new("linux", RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    });
}
