using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WasmKube.Kube.Testing.Patching;
using WasmKube.Kube.Testing.Storage;
using WasmKube.Kube.Testing.Validation;
using WasmKube.Kube.Testing.Yaml;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// The HTTP surface of the fixture: authentication, discovery, and the REST verbs of every served resource with
/// kube-apiserver's response shapes (objects, lists, Tables, watch streams, Status errors).
/// </summary>
internal sealed class ApiHandler(
    ResourceRegistry registry,
    ObjectStore store,
    ApiFaults faults,
    ApiRequestLog log,
    TimeProvider clock,
    string? bearerToken,
    IReadOnlyDictionary<string, string> users,
    Func<string> serverAddress,
    CancellationToken stopping)
{
    const string UserKey = "wasmkube.user";
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly ConditionalWeakTable<JsonObject, string> Serialized = [];

    /// <summary>The last configuration each field manager applied, per object, so a re-apply can remove fields it dropped.</summary>
    readonly ConcurrentDictionary<(string Uid, string Manager), JsonObject> _applied = new();

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            // client-go withholds credentials on plain HTTP, so only a presented token is checked there.
            var authorization = context.Request.Headers.Authorization.ToString();
            string? user = null;
            if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && users.TryGetValue(authorization["Bearer ".Length..], out var named))
            {
                user = named;
            }
            else if (bearerToken is not null && authorization != "Bearer " + bearerToken && (context.Request.IsHttps || authorization.Length > 0))
            {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }
            context.Items[UserKey] = user;
            await faults.WaitWhilePausedAsync(context.RequestAborted);
            await RouteAsync(context);
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(context, e);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(context, ApiException.BadRequest($"the body of the request could not be decoded as JSON: {e.Message}"));
        }
        catch (FormatException e)
        {
            await WriteErrorAsync(context, ApiException.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // A fixture bug: report it like kube-apiserver reports internal errors, with the details to fix it.
            await WriteErrorAsync(context, new ApiException(500, "InternalError", $"Internal error occurred: {e}"));
        }
    }

    static async Task WriteErrorAsync(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        if (e.Code == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }
        await WriteJsonAsync(context, e.Code, e.ToStatus());
    }

    static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Compact), context.RequestAborted);
    }

    async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var types = registry.All;
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, 200, Discovery.Version());
                return;
            case ["healthz" or "readyz" or "livez", ..]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApi.Index(types));
                return;
            case ["openapi", "v3", .. var groupVersion]:
                await WriteJsonAsync(context, 200, OpenApi.Document(types, string.Join('/', groupVersion)) ?? throw NotFoundPath(path));
                return;
            case ["api"]:
                await WriteJsonAsync(context, 200, Discovery.ApiVersions(serverAddress()));
                return;
            case ["api", var coreVersion]:
                await WriteJsonAsync(context, 200, Discovery.ResourceList(types, "", coreVersion) ?? throw NotFoundPath(path));
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, Discovery.GroupList(types));
                return;
            case ["apis", var group]:
                await WriteJsonAsync(context, 200, Discovery.Group(types, group) ?? throw NotFoundPath(path));
                return;
            case ["apis", var group, var version]:
                await WriteJsonAsync(context, 200, Discovery.ResourceList(types, group, version) ?? throw NotFoundPath(path));
                return;
        }
        var target = RequestTarget.Parse(segments, registry) ?? throw NotFoundPath(path);
        var query = context.Request.Query;
        var method = context.Request.Method;
        var verb = (method, target.Name) switch
        {
            ("GET", null) when IsTrue(query["watch"]) => "watch",
            ("GET", null) => "list",
            ("GET", _) when IsTrue(query["watch"]) => "watch",
            ("GET", _) => "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({method})"),
        };
        var request = new ApiRequest(verb, target.Group, target.Version, target.Resource, target.Subresource, target.Namespace, target.Name)
        {
            User = context.Items[UserKey] as string,
        };
        log.Add(request);
        if (faults.TakeFailure(request) is { } injected)
        {
            throw injected;
        }
        var type = registry.Find(target.Group, target.Version, target.Resource) ?? throw NotFoundPath(path);
        if (type.Namespaced && target.Namespace is null && verb is "get" or "create" or "update" or "patch" or "delete" or "deletecollection")
        {
            // Namespaced objects are addressed under /namespaces/<ns>/ (all-namespace URLs only list and watch).
            throw NotFoundPath(path);
        }
        var ns = type.Namespaced ? target.Namespace : null;
        var dryRun = query["dryRun"].Count > 0;
        var part = target.Subresource switch
        {
            null => ObjectPart.Main,
            "status" when type.HasStatus => ObjectPart.Status,
            "scale" when type.Scale is not null => ObjectPart.Main,
            _ => throw NotFoundPath(path),
        };
        if (target.Subresource is not null && verb is not ("get" or "update" or "patch"))
        {
            throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {target.Subresource})");
        }
        if (target.Subresource == "scale")
        {
            await HandleScaleAsync(context, type, ns, target.Name!, verb, dryRun);
            return;
        }
        switch (verb)
        {
            case "get":
                await WriteObjectAsync(context, 200, type, store.Get(type, ns, target.Name!));
                return;
            case "list":
                await ListAsync(context, type, ns);
                return;
            case "watch":
                await WatchAsync(context, type, ns, target.Name);
                return;
            case "create":
                var created = store.Create(type, ns, await ReadObjectAsync(context, type), dryRun, FieldCheckFor(context));
                await WriteObjectAsync(context, 201, type, created);
                return;
            case "update":
                var body = await ReadObjectAsync(context, type);
                var updated = store.Replace(type, ns, target.Name!, body, part, dryRun, FieldCheckFor(context));
                await WriteObjectAsync(context, 200, type, updated);
                return;
            case "patch":
                await PatchAsync(context, type, ns, target.Name!, part, dryRun);
                return;
            case "delete":
                await DeleteAsync(context, type, ns, target.Name!, dryRun);
                return;
            case "deletecollection":
                await DeleteCollectionAsync(context, type, ns, dryRun);
                return;
        }
    }

    static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1";

    static ApiException NotFoundPath(string path) =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = $"404 page not found: {path}" }) });

    static bool WantsTable(HttpContext context) => context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    static bool WantsPartialMetadata(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=PartialObjectMetadata", StringComparison.Ordinal);

    /// <summary>Serves a stored object at the requested version (stored objects are shared, so never changed here).</summary>
    static JsonObject AtVersion(ResourceType type, JsonObject obj)
    {
        if ((string?)obj["apiVersion"] == type.ApiVersion)
        {
            return obj;
        }
        var copy = obj.DeepClone().AsObject();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    /// <summary>The request's fieldValidation mode; its warnings become Warning headers (299) as on the real server.</summary>
    static FieldCheck FieldCheckFor(HttpContext context)
    {
        var check = new FieldCheck(context.Request.Query["fieldValidation"].ToString());
        context.Response.OnStarting(() =>
        {
            foreach (var warning in check.Warnings)
            {
                context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"")}\"");
            }
            return Task.CompletedTask;
        });
        return check;
    }

    async Task WriteObjectAsync(HttpContext context, int code, ResourceType type, JsonObject obj)
    {
        if (WantsTable(context))
        {
            await WriteJsonAsync(context, code, TableConverter.Table(type, [AtVersion(type, obj)], (string?)obj["metadata"]?["resourceVersion"] ?? "", null,
                context.Request.Query["includeObject"].ToString(), clock.GetUtcNow()));
            return;
        }
        if (WantsPartialMetadata(context))
        {
            await WriteJsonAsync(context, code, TableConverter.PartialMetadata(obj));
            return;
        }
        // Stored objects must not gain a parent, so they are serialized directly rather than wrapped.
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(AtVersion(type, obj).ToJsonString(Compact), context.RequestAborted);
    }

    async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceType type)
    {
        var node = await ReadBodyAsync(context);
        if (node is not JsonObject obj)
        {
            throw ApiException.BadRequest("the body of the request must be a JSON object");
        }
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        var expectsScale = context.Request.Path.Value?.EndsWith("/scale", StringComparison.Ordinal) == true;
        if (!expectsScale && !string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
        if (!expectsScale && !string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        return obj;
    }

    static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.Contains("protobuf", StringComparison.Ordinal) && body.Length > 0)
        {
            return ProtobufBody.Decode(body.GetBuffer().AsSpan(0, (int)body.Length), contentType);
        }
        var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (contentType.Contains("yaml", StringComparison.Ordinal))
        {
            var documents = YamlJson.ParseDocuments(text);
            return documents.Count == 0 ? null : JsonNode.Parse(documents[0].ToJsonString());
        }
        return JsonNode.Parse(text);
    }

    async Task ListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var matches = Selectors.Parse(type, query["labelSelector"], query["fieldSelector"]);
        int? limit = int.TryParse(query["limit"], out var l) && l > 0 ? l : null;
        var (items, revision, continueToken, remaining) = store.List(type, ns, matches, limit, query["continue"]);
        var rv = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (WantsTable(context))
        {
            await WriteJsonAsync(context, 200, TableConverter.Table(type, items.Select(i => AtVersion(type, i)), rv, continueToken,
                query["includeObject"].ToString(), clock.GetUtcNow()));
            return;
        }
        var partial = WantsPartialMetadata(context);
        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
            metadata["remainingItemCount"] = remaining;
        }
        // Items are written as raw JSON: they are shared stored objects and cannot be attached to a new parent.
        var builder = new StringBuilder();
        builder.Append("{\"kind\":").Append(JsonSerializer.Serialize(partial ? "PartialObjectMetadataList" : type.ListKind))
            .Append(",\"apiVersion\":").Append(JsonSerializer.Serialize(partial ? "meta.k8s.io/v1" : type.ApiVersion))
            .Append(",\"metadata\":").Append(metadata.ToJsonString(Compact))
            .Append(",\"items\":[");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            builder.Append(partial ? TableConverter.PartialMetadata(items[i]).ToJsonString(Compact) : AtVersion(type, items[i]).ToJsonString(Compact));
        }
        builder.Append("]}");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(builder.ToString(), context.RequestAborted);
    }

    async Task WatchAsync(HttpContext context, ResourceType type, string? ns, string? name)
    {
        var query = context.Request.Query;
        var fieldSelector = query["fieldSelector"].ToString();
        if (name is not null)
        {
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? $"metadata.name={name}" : $"{fieldSelector},metadata.name={name}";
        }
        var matches = Selectors.Parse(type, query["labelSelector"], fieldSelector);
        var table = WantsTable(context);
        var partial = WantsPartialMetadata(context);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        Watcher watcher;
        try
        {
            watcher = store.Watch(type, ns, matches, query["resourceVersion"], IsTrue(query["allowWatchBookmarks"]), IsTrue(query["sendInitialEvents"]));
        }
        catch (ApiException e) when (e.Code == 410)
        {
            // kube-apiserver accepts the watch and reports the expired resourceVersion as an ERROR event.
            await WriteEventAsync(context, new WatchEvent("ERROR", e.ToStatus()));
            return;
        }
        using var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds))
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping, watcher.Dropped.Token, timeout.Token);
        try
        {
            await context.Response.StartAsync(linked.Token);
            await context.Response.Body.FlushAsync(linked.Token);
            var reader = watcher.Events.Reader;
            while (await reader.WaitToReadAsync(linked.Token))
            {
                while (reader.TryRead(out var e))
                {
                    await faults.WaitWhilePausedAsync(linked.Token);
                    linked.Token.ThrowIfCancellationRequested();
                    var sent = e.Type is "BOOKMARK" or "ERROR" ? e
                        : table ? new WatchEvent(e.Type, TableConverter.Table(type, [AtVersion(type, e.Object)], (string?)e.Object["metadata"]?["resourceVersion"] ?? "", null,
                            query["includeObject"].ToString(), clock.GetUtcNow()))
                        : partial ? e with { Object = TableConverter.PartialMetadata(e.Object) }
                        : e with { Object = AtVersion(type, e.Object) };
                    await WriteEventAsync(context, sent);
                    faults.OnWatchEventSent();
                }
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            if (watcher.Dropped.IsCancellationRequested && watcher.AbortConnection)
            {
                context.Abort();
            }
        }
        finally
        {
            store.StopWatching(watcher);
        }
    }

    static async Task WriteEventAsync(HttpContext context, WatchEvent e)
    {
        // Stored objects never change, so every watcher sending the same one shares a single serialization.
        var json = e.Type is "BOOKMARK" or "ERROR" ? e.Object.ToJsonString(Compact) : Serialized.GetValue(e.Object, o => o.ToJsonString(Compact));
        var line = $"{{\"type\":\"{e.Type}\",\"object\":{json}}}\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    async Task PatchAsync(HttpContext context, ResourceType type, string? ns, string name, ObjectPart part, bool dryRun)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        var patch = await ReadBodyAsync(context);
        var check = FieldCheckFor(context);
        JsonObject result;
        switch (contentType)
        {
            case "application/merge-patch+json":
                result = store.Modify(type, ns, name, current => MergePatch.Apply(current, patch) as JsonObject
                    ?? throw ApiException.BadRequest("a merge patch must be a JSON object"), part, dryRun, fieldCheck: check);
                break;
            case "application/json-patch+json":
                result = store.Modify(type, ns, name, current => JsonPatch.Apply(current, patch), part, dryRun, fieldCheck: check);
                break;
            case "application/strategic-merge-patch+json" when type.IsCustom:
                // Custom resources have no Go struct tags to drive a strategic merge; the real server refuses it.
                throw ApiException.UnsupportedMediaType(contentType);
            case "application/strategic-merge-patch+json":
                result = store.Modify(type, ns, name, current => StrategicMergePatch.Apply(current, patch as JsonObject
                    ?? throw ApiException.BadRequest("a strategic merge patch must be a JSON object")), part, dryRun, fieldCheck: check);
                break;
            case "application/apply-patch+yaml" or "application/apply-patch+cbor":
                result = Apply(context, type, ns, name, patch as JsonObject ?? throw ApiException.BadRequest("an apply patch must be an object"), part, dryRun, check);
                break;
            default:
                throw ApiException.UnsupportedMediaType(contentType);
        }
        await WriteObjectAsync(context, 200, type, result);
    }

    /// <summary>
    /// Server-side apply, simplified: create when missing, otherwise merge the configuration into the live object and
    /// remove fields this field manager applied before but no longer does. Ownership conflicts between managers are
    /// not detected (so ?force=true changes nothing) and managedFields are not maintained.
    /// </summary>
    JsonObject Apply(HttpContext context, ResourceType type, string? ns, string name, JsonObject config, ObjectPart part, bool dryRun, FieldCheck check)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw ApiException.BadRequest("PATCH /apply requires fieldManager");
        }
        if ((string?)config["metadata"]?["name"] is { } configName && configName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({name})");
        }
        var result = store.Modify(type, ns, name, current =>
        {
            var uid = (string?)current["metadata"]?["uid"] ?? "";
            var patch = config.DeepClone().AsObject();
            if (_applied.TryGetValue((uid, manager), out var previous))
            {
                AddRemovals(patch, previous);
            }
            return StrategicMergePatch.Apply(current, patch);
        }, part, dryRun, createIfMissing: () =>
        {
            var obj = config.DeepClone().AsObject();
            obj["metadata"] ??= new JsonObject();
            obj["metadata"]!["name"] = name;
            return obj;
        }, check);
        if (!dryRun)
        {
            _applied[((string?)result["metadata"]?["uid"] ?? "", manager)] = config.DeepClone().AsObject();
        }
        return result;
    }

    /// <summary>
    /// Extends an applied configuration into a patch that also removes what the same manager applied last time and
    /// no longer does: leaf fields become null (maps are descended, so fields other managers set stay) and list
    /// entries with a merge key become $patch: delete.
    /// </summary>
    static void AddRemovals(JsonObject patch, JsonObject previous)
    {
        foreach (var (key, previousValue) in previous)
        {
            patch.TryGetPropertyValue(key, out var nextValue);
            switch (previousValue, nextValue)
            {
                case (JsonObject previousChild, null) when !patch.ContainsKey(key):
                    var nested = new JsonObject();
                    AddRemovals(nested, previousChild);
                    patch[key] = nested;
                    break;
                case (_, null) when !patch.ContainsKey(key):
                    patch[key] = null;
                    break;
                case (JsonObject previousChild, JsonObject nextChild):
                    AddRemovals(nextChild, previousChild);
                    break;
                case (JsonArray previousList, JsonArray nextList)
                    when previousList.All(e => e is JsonObject) && nextList.All(e => e is JsonObject)
                        && StrategicMergePatch.MergeKey(key, [.. previousList.Select(e => e?.DeepClone()), .. nextList.Select(e => e?.DeepClone())]) is { } mergeKey:
                    foreach (var previousElement in previousList.Cast<JsonObject>())
                    {
                        var match = nextList.Cast<JsonObject>().FirstOrDefault(n => JsonNode.DeepEquals(n[mergeKey], previousElement[mergeKey]));
                        if (match is null)
                        {
                            nextList.Add(new JsonObject { [mergeKey] = previousElement[mergeKey]?.DeepClone(), ["$patch"] = "delete" });
                        }
                        else
                        {
                            AddRemovals(match, previousElement);
                        }
                    }
                    break;
            }
        }
    }

    async Task HandleScaleAsync(HttpContext context, ResourceType type, string? ns, string name, string verb, bool dryRun)
    {
        JsonObject result;
        switch (verb)
        {
            case "get":
                result = store.Get(type, ns, name);
                break;
            case "update":
                var body = await ReadBodyAsync(context) as JsonObject ?? throw ApiException.BadRequest("the body must be an autoscaling/v1 Scale");
                result = store.Modify(type, ns, name, current => ApplyScale(type, current, body), ObjectPart.Main, dryRun);
                break;
            default:
                var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                var patch = await ReadBodyAsync(context);
                result = store.Modify(type, ns, name, current =>
                {
                    var scale = Scale(type, current);
                    JsonNode? patched = contentType switch
                    {
                        "application/json-patch+json" => JsonPatch.Apply(scale, patch),
                        "application/merge-patch+json" or "application/strategic-merge-patch+json" or "application/apply-patch+yaml" => MergePatch.Apply(scale, patch),
                        _ => throw ApiException.UnsupportedMediaType(contentType),
                    };
                    return ApplyScale(type, current, patched as JsonObject ?? throw ApiException.BadRequest("the patched Scale is not an object"));
                }, ObjectPart.Main, dryRun);
                break;
        }
        await WriteJsonAsync(context, 200, Scale(type, result));
    }

    static JsonObject ApplyScale(ResourceType type, JsonObject current, JsonObject scale)
    {
        var scaleVersion = (string?)scale["metadata"]?["resourceVersion"];
        if (!string.IsNullOrEmpty(scaleVersion) && scaleVersion != (string?)current["metadata"]?["resourceVersion"])
        {
            throw ApiException.StaleResourceVersion(type.Group, type.Plural, (string?)current["metadata"]?["name"] ?? "");
        }
        var replicas = scale["spec"]?["replicas"];
        if (replicas is not JsonValue value || !value.TryGetValue<int>(out var count) || count < 0)
        {
            throw ApiException.Invalid("Scale", "autoscaling", (string?)current["metadata"]?["name"] ?? "", "spec.replicas",
                $"Invalid value: {replicas?.ToJsonString() ?? "null"}: must be greater than or equal to 0");
        }
        // The object's own resourceVersion stays, so the storage sees no competing precondition.
        JsonPaths.Set(current, type.Scale!.SpecReplicasPath, count);
        return current;
    }

    static JsonObject Scale(ResourceType type, JsonObject obj)
    {
        var mapping = type.Scale!;
        var meta = obj["metadata"]!;
        var status = new JsonObject { ["replicas"] = JsonPaths.Get(obj, mapping.StatusReplicasPath)?.DeepClone() ?? 0 };
        var selector = mapping.LabelSelectorPath is { } selectorPath
            ? JsonPaths.Scalar(JsonPaths.Get(obj, selectorPath))
            : LabelSelectorString(obj["spec"]?["selector"] as JsonObject);
        if (!string.IsNullOrEmpty(selector))
        {
            status["selector"] = selector;
        }
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonPaths.Get(obj, mapping.SpecReplicasPath)?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>metav1.FormatLabelSelector for matchLabels and matchExpressions.</summary>
    internal static string LabelSelectorString(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }
        var parts = new List<string>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            parts.Add($"{key}={JsonPaths.Scalar(value)}");
        }
        foreach (var expression in selector["matchExpressions"] as JsonArray ?? [])
        {
            var key = (string?)expression?["key"];
            var values = string.Join(",", (expression?["values"] as JsonArray ?? []).Select(v => JsonPaths.Scalar(v)).Order(StringComparer.Ordinal));
            parts.Add((string?)expression?["operator"] switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key!,
                "DoesNotExist" => $"!{key}",
                var op => throw ApiException.BadRequest($"unsupported label selector operator {op}"),
            });
        }
        return string.Join(",", parts);
    }

    async Task DeleteAsync(HttpContext context, ResourceType type, string? ns, string name, bool dryRun)
    {
        var (policy, preconditions, bodyDryRun) = await ReadDeleteOptionsAsync(context);
        var (obj, _) = store.Delete(type, ns, name, policy, preconditions, dryRun || bodyDryRun);
        await WriteObjectAsync(context, 200, type, obj);
    }

    async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? ns, bool dryRun)
    {
        var query = context.Request.Query;
        var (policy, _, bodyDryRun) = await ReadDeleteOptionsAsync(context);
        var matches = Selectors.Parse(type, query["labelSelector"], query["fieldSelector"]);
        var (items, _, _, _) = store.List(type, ns, matches, null, null);
        foreach (var item in items)
        {
            try
            {
                store.Delete(type, (string?)item["metadata"]?["namespace"], (string)item["metadata"]!["name"]!, policy, default, dryRun || bodyDryRun);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Removed meanwhile (for example by the garbage collector): nothing left to do.
            }
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        });
    }

    async Task<(DeletionPolicy Policy, Preconditions Preconditions, bool DryRun)> ReadDeleteOptionsAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context) as JsonObject;
        var policyText = context.Request.Query["propagationPolicy"].ToString() is { Length: > 0 } q ? q : (string?)body?["propagationPolicy"];
        if (policyText is null && (bool?)body?["orphanDependents"] == true)
        {
            policyText = "Orphan";
        }
        var policy = policyText switch
        {
            null or "" or "Background" => DeletionPolicy.Background,
            "Foreground" => DeletionPolicy.Foreground,
            "Orphan" => DeletionPolicy.Orphan,
            _ => throw ApiException.Invalid("DeleteOptions", "", "", "propagationPolicy", $"Unsupported value: \"{policyText}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
        };
        var preconditions = new Preconditions((string?)body?["preconditions"]?["uid"], (string?)body?["preconditions"]?["resourceVersion"]);
        var dryRun = body?["dryRun"] is JsonArray { Count: > 0 };
        return (policy, preconditions, dryRun);
    }
}
