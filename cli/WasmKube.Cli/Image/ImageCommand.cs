using System.CommandLine;
using WasmKube.Images;

namespace WasmKube.Cli.Image;

/// <summary>
/// <c>wasmkube image build --module app.wasm [--file host=guest]... -t NAME:TAG (-o image.tar | --push REF)</c>: an
/// OCI image FROM scratch with the module as its entrypoint, written as an OCI layout archive for `ctr image import`
/// and/or pushed to a registry; <c>wasmkube image push ARCHIVE [REF]</c> pushes such an archive.
/// </summary>
public static class ImageCommand
{
    public static Command Create()
    {
        var image = new Command("image", "Build OCI images of wasm modules and push them to registries.");
        image.Add(CreateBuild());
        image.Add(CreatePush());
        return image;
    }

    private static Option<bool> PlainHttpOption() => new("--plain-http")
    {
        Description = "Talk to the registry over plain HTTP instead of HTTPS (e.g. a local registry).",
    };

    private static Command CreateBuild()
    {
        var module = new Option<string>("--module", "-m") { Description = "The .wasm module; it becomes the image's entrypoint.", HelpName = "FILE", Required = true };
        var files = new Option<string[]>("--file")
        {
            Description = "Also put a host file into the image, as HOST_PATH=IMAGE_PATH (repeatable).",
            HelpName = "HOST=GUEST",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var tag = new Option<string>("--tag", "-t") { Description = "The image name, NAME[:TAG]; default: the --push name.", HelpName = "NAME:TAG" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the OCI layout archive (.tar).", HelpName = "FILE" };
        var push = new Option<string>("--push")
        {
            Description = "Push the image to a registry under this name, REGISTRY/REPOSITORY[:TAG] (credentials from ~/.docker/config.json or $DOCKER_CONFIG).",
            HelpName = "REF",
        };
        var plainHttp = PlainHttpOption();
        var modulePath = new Option<string>("--module-path") { Description = "Path of the module inside the image.", DefaultValueFactory = _ => "/app.wasm" };
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable of the image, NAME=VALUE (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var platforms = new Option<string[]>("--platform")
        {
            Description = "Label the image for just the given platforms, OS/ARCH[/VARIANT] (repeatable). Default: an index of wasi/wasm, linux/amd64 and linux/arm64/v8 over the same layer, which containerd 1.6/1.7 (node platform) and 2.x (wasi/wasm runtime platform) pull alike.",
            HelpName = "OS/ARCH",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var linux = new Option<bool>("--linux-compatible")
        {
            Description = "Make the image pullable by containerd 1.6/1.7 and kubelet, which only unpack images of the node's platform; the default image already is (kept for existing scripts).",
        };
        var args = new Argument<string[]>("ARGS") { Description = "Arguments given to the module after its name (the image's Cmd).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("build", "Build an image FROM scratch holding a wasm module as its entrypoint.")
        {
            module, files, tag, output, push, plainHttp, modulePath, env, platforms, linux, args,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var outputPath = parseResult.GetValue(output);
            var pushTo = parseResult.GetValue(push);
            try
            {
                if (outputPath is null && pushTo is null)
                {
                    throw new ArgumentException("say where the image goes: -o FILE.tar for an archive, --push REGISTRY/REPOSITORY[:TAG] for a registry, or both");
                }

                if (parseResult.GetValue(tag) is null && pushTo is null)
                {
                    throw new ArgumentException("name the image with -t NAME[:TAG] (the name `ctr image import` gives it)");
                }

                var platformList = (parseResult.GetValue(platforms) ?? []).Select(ImagePlatform.Parse).ToList();
                if (parseResult.GetValue(linux) && platformList.Count > 0)
                {
                    throw new ArgumentException("--linux-compatible asks for the default platforms, which --platform replaces; give only one of them");
                }

                var options = new ImageBuildOptions
                {
                    ModulePath = parseResult.GetValue(module)!,
                    ModuleImagePath = parseResult.GetValue(modulePath)!,
                    Files = (parseResult.GetValue(files) ?? []).Select(ImageFile.Parse).ToList(),
                    Reference = ImageReference.Parse(parseResult.GetValue(tag) ?? pushTo!),
                    Platforms = platformList.Count > 0 ? platformList : ImagePlatform.Portable,
                    Env = parseResult.GetValue(env) ?? [],
                    Args = parseResult.GetValue(args) ?? [],
                };
                var pushReference = pushTo is null ? null : ImageReference.Parse(pushTo);
                var image = OciImageBuilder.Create(options);
                var built = $"built {options.Reference} ({string.Join(", ", options.Platforms)}; {Kind(image)} {image.Digest})";
                if (outputPath is not null)
                {
                    var temporary = outputPath + ".partial";
                    using (var stream = File.Create(temporary))
                    {
                        image.WriteLayout(stream, options.Reference, options.Created);
                    }

                    File.Move(temporary, outputPath, overwrite: true);
                    parseResult.InvocationConfiguration.Output.WriteLine($"{built} into {outputPath}; load it with: ctr image import {outputPath}");
                }
                else
                {
                    parseResult.InvocationConfiguration.Output.WriteLine(built);
                }

                if (pushReference is not null)
                {
                    await PushAsync(image, pushReference, parseResult.GetValue(plainHttp), parseResult.InvocationConfiguration.Output, cancellationToken);
                }

                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                if (outputPath is not null) File.Delete(outputPath + ".partial");
                error.WriteLine($"wasmkube image build: {e.Message}");
                return CommandExitCodes.UsageError;
            }
            catch (RegistryException e)
            {
                error.WriteLine($"wasmkube image build: {e.Message}");
                return CommandExitCodes.Failure;
            }
        });
        return command;
    }

    private static Command CreatePush()
    {
        var archive = new Argument<string>("ARCHIVE") { Description = "An OCI layout archive of one image, as `wasmkube image build -o` or `ctr image export` writes." };
        var reference = new Argument<string?>("REF")
        {
            Description = "Where to push it, REGISTRY/REPOSITORY[:TAG]; default: the name stored in the archive.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var plainHttp = PlainHttpOption();
        var command = new Command("push", "Push an image archive to an OCI distribution registry (credentials from ~/.docker/config.json or $DOCKER_CONFIG).")
        {
            archive, reference, plainHttp,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(archive)!;
            try
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"archive {path} does not exist; build one with `wasmkube image build -o {path}`");
                }

                OciImage image;
                using (var stream = File.OpenRead(path))
                {
                    image = OciImage.ReadLayout(stream, path);
                }

                var name = parseResult.GetValue(reference) ?? image.Name
                    ?? throw new ArgumentException($"{path} does not name its image; say where to push it: wasmkube image push {path} REGISTRY/REPOSITORY[:TAG]");
                await PushAsync(image, ImageReference.Parse(name), parseResult.GetValue(plainHttp), parseResult.InvocationConfiguration.Output, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                error.WriteLine($"wasmkube image push: {e.Message}");
                return CommandExitCodes.UsageError;
            }
            catch (RegistryException e)
            {
                error.WriteLine($"wasmkube image push: {e.Message}");
                return CommandExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task PushAsync(OciImage image, ImageReference target, bool plainHttp, TextWriter output, CancellationToken cancellationToken)
    {
        var configPath = RegistryCredential.ConfigPath(Environment.GetEnvironmentVariable);
        var credential = RegistryCredential.Find(configPath, target.Registry, out var note);
        using var client = new RegistryClient(target.Registry, plainHttp, credential, note);
        var digest = await client.PushAsync(image, target, cancellationToken);
        output.WriteLine($"pushed {target} ({Kind(image)} {digest}; {client.Uploaded} blobs uploaded, {client.AlreadyPresent} already there)");
    }

    private static string Kind(OciImage image) => OciImage.IsIndex(image.MediaType) ? "index" : "manifest";
}
