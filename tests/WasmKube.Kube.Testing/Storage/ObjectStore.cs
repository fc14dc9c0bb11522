using System.Text;
using System.Text.Json.Nodes;
using WasmKube.Kube.Testing.Http;
using WasmKube.Kube.Testing.Validation;

namespace WasmKube.Kube.Testing.Storage;

/// <summary>Which part of an object a write may change.</summary>
internal enum ObjectPart
{
    Main,
    Status,
}

/// <summary>
/// The object storage with kube-apiserver semantics: one global resourceVersion counter (like etcd's revision),
/// optimistic concurrency, generation, status subresource separation, a bounded event history for watches,
/// finalizers, and the garbage collector's owner-reference cascade (run synchronously after each deletion so tests
/// see a settled state). One lock guards everything; stored objects are immutable once stored and never have a parent
/// node, so they are shared with readers and cloned before any change.
/// </summary>
internal sealed class ObjectStore
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    readonly object _gate = new();
    readonly ResourceRegistry _registry;
    readonly TimeProvider _clock;
    readonly int _historyLimit;
    readonly bool _garbageCollection;
    readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = [];
    readonly Dictionary<string, (string GroupResource, string Key)> _byUid = [];
    // Owner uid -> uids of the stored objects whose ownerReferences name it, so cascades need no scan over all objects.
    readonly Dictionary<string, HashSet<string>> _dependents = [];
    // Uids of stored objects being deleted: the garbage collector revisits them until they are gone.
    readonly HashSet<string> _deleting = [];
    // Uids of objects that may have lost all their owners (stored with ownerReferences, or an owner went away).
    // Any object outside these two sets is one the collector would leave alone, so it only looks at these.
    readonly HashSet<string> _maybeOrphaned = [];
    readonly LinkedList<HistoryEvent> _history = new();
    readonly List<Watcher> _watchers = [];
    long _revision = 100;
    long _compactedRevision = 100;
    bool _gcPending;

    sealed record HistoryEvent(long Revision, string GroupResource, string? Namespace, string Type, JsonObject? Old, JsonObject Object);

    public ObjectStore(ResourceRegistry registry, TimeProvider clock, int historyLimit, bool garbageCollection)
    {
        _registry = registry;
        _clock = clock;
        _historyLimit = historyLimit;
        _garbageCollection = garbageCollection;
    }

    public long CurrentRevision
    {
        get { lock (_gate) { return _revision; } }
    }

    public string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? throw new InvalidOperationException("object without metadata");

    static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static string NameOf(JsonObject obj) => Str(obj["metadata"]?["name"]) ?? "";

    static string? NamespaceOf(JsonObject obj) => Str(obj["metadata"]?["namespace"]);

    static string ResourceVersionOf(JsonObject obj) => Str(obj["metadata"]?["resourceVersion"]) ?? "";

    static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.Select(f => Str(f) ?? "").ToList() ?? [];

    static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    SortedDictionary<string, JsonObject> Bucket(string groupResource)
    {
        if (!_objects.TryGetValue(groupResource, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[groupResource] = bucket;
        }
        return bucket;
    }

    // ---- reads ----

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return Bucket(type.GroupResource).TryGetValue(Key(ns, name), out var obj)
                ? obj
                : throw ApiException.NotFound(type.Group, type.Plural, name);
        }
    }

    public JsonObject? TryGet(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return Bucket(type.GroupResource).GetValueOrDefault(Key(ns, name));
        }
    }

    /// <summary>Lists in key order; <paramref name="continueToken"/> and <paramref name="limit"/> page through it.</summary>
    public (IReadOnlyList<JsonObject> Items, long Revision, string? Continue, long? Remaining) List(
        ResourceType type, string? ns, Func<JsonObject, bool> matches, int? limit, string? continueToken)
    {
        lock (_gate)
        {
            string? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken));
                }
                catch (FormatException)
                {
                    throw ApiException.BadRequest("continue key is not valid: illegal base64 data");
                }
                var bar = decoded.IndexOf('|');
                if (bar < 0 || !long.TryParse(decoded[..bar], out var tokenRevision))
                {
                    throw ApiException.BadRequest("continue key is not valid: malformed token");
                }
                if (tokenRevision < _compactedRevision)
                {
                    throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
                after = decoded[(bar + 1)..];
            }
            var prefix = ns is null ? null : ns + "/";
            var items = new List<JsonObject>();
            string? next = null;
            long remaining = 0;
            foreach (var (key, obj) in Bucket(type.GroupResource))
            {
                if ((prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal))
                    || (after is not null && string.CompareOrdinal(key, after) <= 0)
                    || !matches(obj))
                {
                    continue;
                }
                if (limit is > 0 && items.Count >= limit)
                {
                    remaining++;
                    continue;
                }
                items.Add(obj);
                if (limit is > 0 && items.Count == limit)
                {
                    next = key;
                }
            }
            var token = remaining > 0 && next is not null
                ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_revision}|{next}"))
                : null;
            return (items, _revision, token, remaining > 0 ? remaining : null);
        }
    }

    /// <summary>
    /// Every stored object owned (by ownerReference uid) by the object with <paramref name="uid"/>, in storage order
    /// (resource by resource, then by key) so cascades write their events in a stable order.
    /// </summary>
    List<JsonObject> DependentsLocked(string uid) =>
        _dependents.TryGetValue(uid, out var dependents) ? StoredInOrderLocked(dependents, groupResource: null) : [];

    /// <summary>The stored objects with the given uids, optionally of one resource, in storage order.</summary>
    List<JsonObject> StoredInOrderLocked(IEnumerable<string> uids, string? groupResource)
    {
        var order = _objects.Keys.Select((key, index) => (key, index)).ToDictionary(e => e.key, e => e.index);
        return uids
            .Select(uid => _byUid.TryGetValue(uid, out var location) ? location : default)
            .Where(location => location.GroupResource is not null && (groupResource is null || location.GroupResource == groupResource))
            .Distinct()
            .OrderBy(location => order[location.GroupResource])
            .ThenBy(location => location.Key, StringComparer.Ordinal)
            .Select(location => _objects[location.GroupResource][location.Key])
            .ToList();
    }

    static IEnumerable<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.Select(r => Str(r?["uid"])).OfType<string>() ?? [];

    /// <summary>Keeps the owner index and the collector's work sets in step with a stored object's versions.</summary>
    void IndexLocked(JsonObject? before, JsonObject? after)
    {
        var uid = Str((after ?? before)?["metadata"]?["uid"]) ?? "";
        if (before is not null)
        {
            foreach (var owner in OwnerUids(before))
            {
                if (_dependents.TryGetValue(owner, out var set) && set.Remove(uid) && set.Count == 0)
                {
                    _dependents.Remove(owner);
                }
            }
        }
        if (after is null)
        {
            _deleting.Remove(uid);
            _maybeOrphaned.Remove(uid);
            if (_garbageCollection && _dependents.TryGetValue(uid, out var orphans))
            {
                _maybeOrphaned.UnionWith(orphans);
            }
            return;
        }
        foreach (var owner in OwnerUids(after))
        {
            if (!_dependents.TryGetValue(owner, out var set))
            {
                set = [];
                _dependents[owner] = set;
            }
            set.Add(uid);
        }
        if (IsDeleting(after))
        {
            _deleting.Add(uid);
        }
        if (_garbageCollection && after["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 })
        {
            _maybeOrphaned.Add(uid);
        }
    }

    // ---- writes ----

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun, FieldCheck? fieldCheck = null)
    {
        lock (_gate)
        {
            var result = CreateLocked(type, ns, body, dryRun, fieldCheck);
            RunGarbageCollectorLocked();
            return result;
        }
    }

    /// <summary>
    /// Re-parses an object so every value is JSON-element backed: values created from CLR primitives (defaults,
    /// counters) would otherwise compare unequal to parsed ones and refuse numeric conversions.
    /// </summary>
    static JsonObject Normalize(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    JsonObject CreateLocked(ResourceType type, string? ns, JsonObject body, bool dryRun, FieldCheck? fieldCheck = null)
    {
        var obj = Normalize(body);
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }
        var bodyNamespace = Str(meta["namespace"]);
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta["namespace"] = ns;
            var nsType = _registry.Find("", "v1", "namespaces")!;
            if (!Bucket(nsType.GroupResource).TryGetValue(ns!, out var nsObj))
            {
                throw ApiException.NotFound("", "namespaces", ns!);
            }
            if (IsDeleting(nsObj))
            {
                throw new ApiException(403, "Forbidden", $"{type.Plural} \"{Str(meta["name"])}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
            }
        }
        else
        {
            meta.Remove("namespace");
        }
        var name = Str(meta["name"]);
        if (string.IsNullOrEmpty(name))
        {
            var generateName = Str(meta["generateName"]);
            if (string.IsNullOrEmpty(generateName))
            {
                throw ApiException.Invalid(type.Kind, type.Group, "", "metadata.name", "Required value: name or generateName is required");
            }
            name = generateName + RandomSuffix();
            meta["name"] = name;
        }
        Names.ValidateObjectName(type, name);
        if (!string.IsNullOrEmpty(ResourceVersionOf(obj)))
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }
        var key = Key(type.Namespaced ? ns : null, name);
        if (Bucket(type.GroupResource).ContainsKey(key))
        {
            throw ApiException.AlreadyExists(type.Group, type.Plural, name);
        }
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        if (type.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }
        if (type.HasStatus && type.Plural != "nodes")
        {
            // Strategies reset status on create when it is a subresource (nodes alone accept it).
            obj.Remove("status");
        }
        Admission.Prepare(type, obj, null, fieldCheck ?? FieldCheck.Ignore);
        if (IsCrd(type))
        {
            CustomResourceDefinitions.Validate(obj);
            obj["status"] = CustomResourceDefinitions.EstablishedStatus(obj, Now());
        }
        obj = Normalize(obj);
        meta = Meta(obj);
        if (dryRun)
        {
            return obj;
        }
        _revision++;
        meta["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Bucket(type.GroupResource)[key] = obj;
        _byUid[(string)meta["uid"]!] = (type.GroupResource, key);
        IndexLocked(null, obj);
        Record(type.GroupResource, NamespaceOf(obj), "ADDED", null, obj);
        if (IsCrd(type))
        {
            _registry.Register(obj);
        }
        if (meta["ownerReferences"] is JsonArray { Count: > 0 })
        {
            _gcPending = true;
        }
        return obj;
    }

    static bool IsCrd(ResourceType type) => type is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" };

    static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    /// <summary>PUT: the body replaces the object (or its status).</summary>
    public JsonObject Replace(ResourceType type, string? ns, string name, JsonObject body, ObjectPart part, bool dryRun, FieldCheck? fieldCheck = null)
    {
        lock (_gate)
        {
            if (!Bucket(type.GroupResource).TryGetValue(Key(ns, name), out var current))
            {
                throw ApiException.NotFound(type.Group, type.Plural, name);
            }
            CheckIdentity(type, ns, name, body);
            var bodyVersion = ResourceVersionOf(body);
            if (bodyVersion.Length == 0 && type.IsCustom)
            {
                // CRs do not allow unconditional updates (customresource strategy AllowUnconditionalUpdate = false).
                throw ApiException.Invalid(type.Kind, type.Group, name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
            }
            var result = CommitUpdateLocked(type, current, body.DeepClone().AsObject(), part, dryRun, fieldCheck);
            RunGarbageCollectorLocked();
            return result;
        }
    }

    /// <summary>
    /// PATCH and other read-modify-write changes: <paramref name="change"/> gets a copy of the current object and
    /// returns the proposed one; a resourceVersion in the result that differs from the current one is a conflict.
    /// With <paramref name="createIfMissing"/> (server-side apply), a missing object is created from its result.
    /// </summary>
    public JsonObject Modify(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, ObjectPart part, bool dryRun,
        Func<JsonObject>? createIfMissing = null, FieldCheck? fieldCheck = null)
    {
        lock (_gate)
        {
            if (!Bucket(type.GroupResource).TryGetValue(Key(ns, name), out var current))
            {
                if (createIfMissing is null)
                {
                    throw ApiException.NotFound(type.Group, type.Plural, name);
                }
                var created = CreateLocked(type, ns, createIfMissing(), dryRun, fieldCheck);
                RunGarbageCollectorLocked();
                return created;
            }
            var proposed = change(current.DeepClone().AsObject());
            CheckIdentity(type, ns, name, proposed);
            var result = CommitUpdateLocked(type, current, proposed, part, dryRun, fieldCheck);
            RunGarbageCollectorLocked();
            return result;
        }
    }

    static void CheckIdentity(ResourceType type, string? ns, string name, JsonObject body)
    {
        var bodyName = Str(body["metadata"]?["name"]);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var bodyNamespace = Str(body["metadata"]?["namespace"]);
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    JsonObject CommitUpdateLocked(ResourceType type, JsonObject current, JsonObject proposed, ObjectPart part, bool dryRun, FieldCheck? fieldCheck = null)
    {
        proposed = Normalize(proposed);
        var name = NameOf(current);
        var currentMeta = Meta(current);
        var bodyVersion = ResourceVersionOf(proposed);
        if (bodyVersion.Length > 0 && bodyVersion != ResourceVersionOf(current))
        {
            throw ApiException.StaleResourceVersion(type.Group, type.Plural, name);
        }
        var bodyUid = Str(proposed["metadata"]?["uid"]);
        if (!string.IsNullOrEmpty(bodyUid) && bodyUid != Str(currentMeta["uid"]))
        {
            throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: UID in precondition: {bodyUid}, UID in object meta: {Str(currentMeta["uid"])}");
        }

        JsonObject updated;
        if (part == ObjectPart.Status)
        {
            // The status strategy keeps everything but status from the stored object.
            updated = current.DeepClone().AsObject();
            var status = proposed["status"]?.DeepClone();
            if (status is null)
            {
                updated.Remove("status");
            }
            else
            {
                updated["status"] = status;
            }
        }
        else
        {
            updated = proposed;
            if (updated["metadata"] is not JsonObject)
            {
                updated["metadata"] = new JsonObject();
            }
            if (type.HasStatus)
            {
                var status = current["status"]?.DeepClone();
                if (status is null)
                {
                    updated.Remove("status");
                }
                else
                {
                    updated["status"] = status;
                }
            }
        }

        var meta = Meta(updated);
        foreach (var serverOwned in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            var value = currentMeta[serverOwned]?.DeepClone();
            if (value is null)
            {
                meta.Remove(serverOwned);
            }
            else
            {
                meta[serverOwned] = value;
            }
        }
        meta["resourceVersion"] = ResourceVersionOf(current);
        updated["apiVersion"] = type.ApiVersion;
        updated["kind"] = type.Kind;
        if (IsDeleting(current))
        {
            var added = Finalizers(updated).Except(Finalizers(current)).ToList();
            if (added.Count > 0)
            {
                throw ApiException.Invalid(type.Kind, type.Group, name, [new FieldError("metadata.finalizers", "FieldValueForbidden",
                    $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{\"{string.Join("\", \"", added)}\"}}")]);
            }
        }
        Admission.Prepare(type, updated, current, fieldCheck ?? FieldCheck.Ignore);
        if (IsCrd(type))
        {
            CustomResourceDefinitions.Validate(updated);
            updated["status"] = CustomResourceDefinitions.EstablishedStatus(updated, Str(current["status"]?["conditions"]?[0]?["lastTransitionTime"]) ?? Now());
        }
        if (part == ObjectPart.Main && type.TracksGeneration && SpecChanged(type, current, updated))
        {
            meta["generation"] = ((long?)currentMeta["generation"] ?? 0) + 1;
        }
        updated = Normalize(updated);
        if (JsonNode.DeepEquals(current, updated))
        {
            // A no-op update is not written: no new resourceVersion and no watch event, as in kube-apiserver.
            return current;
        }
        if (dryRun)
        {
            return updated;
        }
        var stored = StoreUpdateLocked(type.GroupResource, current, updated);
        if (IsCrd(type) && Bucket(type.GroupResource).ContainsKey(Key(null, name)))
        {
            _registry.Register(stored);
        }
        return stored;
    }

    /// <summary>Generation counts changes outside metadata (and outside status when status is a subresource).</summary>
    static bool SpecChanged(ResourceType type, JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject obj, bool dropStatus)
        {
            var copy = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (key is "metadata" or "apiVersion" or "kind" || (dropStatus && key == "status"))
                {
                    continue;
                }
                copy[key] = value?.DeepClone();
            }
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(before, type.HasStatus), Strip(after, type.HasStatus));
    }

    /// <summary>Writes a new version; an object being deleted whose last finalizer went away is removed instead.</summary>
    JsonObject StoreUpdateLocked(string groupResource, JsonObject current, JsonObject updated)
    {
        updated = Normalize(updated);
        var key = Key(NamespaceOf(current), NameOf(current));
        // Namespaces are removed by the namespace controller once empty (see CollectLocked), not by their last finalizer.
        if (IsDeleting(updated) && Finalizers(updated).Count == 0 && groupResource != "namespaces")
        {
            return RemoveLocked(groupResource, key, updated);
        }
        _revision++;
        Meta(updated)["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bucket = Bucket(groupResource);
        var previous = bucket.GetValueOrDefault(key);
        bucket[key] = updated;
        IndexLocked(previous, updated);
        Record(groupResource, NamespaceOf(updated), "MODIFIED", current, updated);
        if (IsDeleting(updated) || updated["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 })
        {
            _gcPending = true;
        }
        return updated;
    }

    JsonObject RemoveLocked(string groupResource, string key, JsonObject last)
    {
        _revision++;
        var gone = Normalize(last);
        Meta(gone)["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Bucket(groupResource).Remove(key, out var stored);
        _byUid.Remove(Str(gone["metadata"]?["uid"]) ?? "");
        IndexLocked(stored, null);
        Record(groupResource, NamespaceOf(gone), "DELETED", null, gone);
        _gcPending = true;
        if (groupResource == "customresourcedefinitions.apiextensions.k8s.io")
        {
            var (group, plural) = CustomResourceDefinitions.GroupAndPlural(gone);
            var customResource = plural + "." + group;
            if (_objects.TryGetValue(customResource, out var instances))
            {
                foreach (var (instanceKey, instance) in instances.ToList())
                {
                    RemoveLocked(customResource, instanceKey, instance);
                }
            }
            _registry.Unregister(group, plural);
        }
        return gone;
    }

    /// <summary>DELETE: immediate removal, or deletionTimestamp while finalizers (including the policy's) remain.</summary>
    public (JsonObject Object, bool Removed) Delete(ResourceType type, string? ns, string name, DeletionPolicy policy, Preconditions preconditions, bool dryRun)
    {
        lock (_gate)
        {
            var result = DeleteLocked(type, ns, name, policy, preconditions, dryRun);
            RunGarbageCollectorLocked();
            return result;
        }
    }

    (JsonObject Object, bool Removed) DeleteLocked(ResourceType type, string? ns, string name, DeletionPolicy policy, Preconditions preconditions, bool dryRun)
    {
        var key = Key(ns, name);
        if (!Bucket(type.GroupResource).TryGetValue(key, out var current))
        {
            throw ApiException.NotFound(type.Group, type.Plural, name);
        }
        if (preconditions.Uid is { } uid && uid != Str(current["metadata"]?["uid"]))
        {
            throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Str(current["metadata"]?["uid"])}");
        }
        if (preconditions.ResourceVersion is { } rv && rv != ResourceVersionOf(current))
        {
            throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ResourceVersionOf(current)}");
        }
        var finalizers = Finalizers(current);
        var policyFinalizer = policy switch
        {
            DeletionPolicy.Foreground => ForegroundFinalizer,
            DeletionPolicy.Orphan => OrphanFinalizer,
            _ => null,
        };
        var isNamespace = type is { Group: "", Plural: "namespaces" };
        if (IsDeleting(current))
        {
            if (policyFinalizer is null || finalizers.Contains(policyFinalizer))
            {
                return (current, false);
            }
        }
        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
        {
            finalizers.Add(policyFinalizer);
        }
        if (finalizers.Count == 0 && !isNamespace)
        {
            return (dryRun ? current : RemoveLocked(type.GroupResource, key, current), true);
        }
        var updated = current.DeepClone().AsObject();
        var meta = Meta(updated);
        if (finalizers.Count > 0)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f!).ToArray());
        }
        if (!IsDeleting(current))
        {
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            if (type.TracksGeneration)
            {
                meta["generation"] = ((long?)meta["generation"] ?? 0) + 1;
            }
        }
        if (isNamespace)
        {
            updated["status"] = new JsonObject { ["phase"] = "Terminating" };
        }
        if (dryRun)
        {
            return (updated, false);
        }
        var stored = StoreUpdateLocked(type.GroupResource, current, updated);
        _gcPending = true;
        return (stored, false);
    }

    /// <summary>
    /// The garbage collector and namespace controller of kube-controller-manager, run to a fixed point: dependents whose
    /// owners are all gone are deleted (background), foreground owners wait for their dependents, orphaning owners
    /// strip their ownerReferences from dependents, and terminating namespaces are emptied and then removed.
    /// </summary>
    void RunGarbageCollectorLocked()
    {
        if (!_gcPending)
        {
            return;
        }
        _gcPending = false;
        for (var pass = 0; pass < 1000; pass++)
        {
            var changed = false;
            foreach (var (groupResource, bucket) in _objects.ToList())
            {
                // Every other object of the bucket would be left alone (see _maybeOrphaned), so only these are visited.
                foreach (var obj in StoredInOrderLocked(_deleting.Concat(_maybeOrphaned), groupResource))
                {
                    var key = Key(NamespaceOf(obj), NameOf(obj));
                    if (!bucket.TryGetValue(key, out var live) || !ReferenceEquals(live, obj))
                    {
                        continue;
                    }
                    _maybeOrphaned.Remove(Str(obj["metadata"]?["uid"]) ?? "");
                    changed |= CollectLocked(groupResource, key, obj);
                }
            }
            if (!changed)
            {
                break;
            }
        }
        _gcPending = false;
    }

    bool CollectLocked(string groupResource, string key, JsonObject obj)
    {
        var type = TypeOf(groupResource);
        var meta = Meta(obj);
        var uid = Str(meta["uid"]) ?? "";
        if (!IsDeleting(obj))
        {
            if (_garbageCollection && meta["ownerReferences"] is JsonArray { Count: > 0 } owners
                && owners.All(o => !_byUid.ContainsKey(Str(o?["uid"]) ?? "")))
            {
                DeleteLocked(type, NamespaceOf(obj), NameOf(obj), DeletionPolicy.Background, default, dryRun: false);
                return true;
            }
            return false;
        }
        var finalizers = Finalizers(obj);
        if (groupResource == "namespaces")
        {
            var ns = NameOf(obj);
            var contents = _objects.Where(b => b.Key != "namespaces")
                .SelectMany(b => b.Value.Where(e => e.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(e => (b.Key, e.Value)))
                .ToList();
            var changedNamespace = false;
            foreach (var (gr, member) in contents.Where(c => !IsDeleting(c.Value)))
            {
                DeleteLocked(TypeOf(gr), ns, NameOf(member), DeletionPolicy.Background, default, dryRun: false);
                changedNamespace = true;
            }
            if (contents.Count == 0 && finalizers.Count == 0)
            {
                RemoveLocked(groupResource, key, obj);
                return true;
            }
            return changedNamespace;
        }
        if (!_garbageCollection)
        {
            return false;
        }
        if (finalizers.Contains(OrphanFinalizer))
        {
            foreach (var dependent in DependentsLocked(uid))
            {
                var copy = dependent.DeepClone().AsObject();
                var refs = (JsonArray)copy["metadata"]!["ownerReferences"]!;
                foreach (var reference in refs.Where(r => Str(r?["uid"]) == uid).ToList())
                {
                    refs.Remove(reference);
                }
                if (refs.Count == 0)
                {
                    Meta(copy).Remove("ownerReferences");
                }
                StoreUpdateLocked(TypeOf(DependentGroupResource(dependent)).GroupResource, dependent, copy);
            }
            RemoveFinalizerLocked(groupResource, obj, OrphanFinalizer);
            return true;
        }
        if (finalizers.Contains(ForegroundFinalizer))
        {
            var dependents = DependentsLocked(uid);
            var changedDependents = false;
            foreach (var dependent in dependents.Where(d => !IsDeleting(d)))
            {
                DeleteLocked(TypeOf(DependentGroupResource(dependent)), NamespaceOf(dependent), NameOf(dependent), DeletionPolicy.Foreground, default, dryRun: false);
                changedDependents = true;
            }
            if (dependents.Count == 0)
            {
                RemoveFinalizerLocked(groupResource, obj, ForegroundFinalizer);
                return true;
            }
            return changedDependents;
        }
        return false;
    }

    string DependentGroupResource(JsonObject obj) => _byUid[Str(obj["metadata"]?["uid"]) ?? ""].GroupResource;

    ResourceType TypeOf(string groupResource)
    {
        var dot = groupResource.IndexOf('.');
        var (plural, group) = dot < 0 ? (groupResource, "") : (groupResource[..dot], groupResource[(dot + 1)..]);
        return _registry.FindByGroupResource(group, plural)
            ?? throw new InvalidOperationException($"no served version for {groupResource}");
    }

    void RemoveFinalizerLocked(string groupResource, JsonObject obj, string finalizer)
    {
        var copy = obj.DeepClone().AsObject();
        var remaining = Finalizers(copy).Where(f => f != finalizer).Select(f => (JsonNode)f!).ToArray();
        if (remaining.Length == 0)
        {
            Meta(copy).Remove("finalizers");
        }
        else
        {
            Meta(copy)["finalizers"] = new JsonArray(remaining);
        }
        StoreUpdateLocked(groupResource, obj, copy);
    }

    // ---- watch ----

    void Record(string groupResource, string? ns, string type, JsonObject? old, JsonObject obj)
    {
        _history.AddLast(new HistoryEvent(_revision, groupResource, ns, type, old, obj));
        while (_history.Count > _historyLimit)
        {
            _compactedRevision = _history.First!.Value.Revision;
            _history.RemoveFirst();
        }
        foreach (var watcher in _watchers)
        {
            if (watcher.Translate(groupResource, ns, type, old, obj) is { } e)
            {
                watcher.Events.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>
    /// Opens a watch. Without a resourceVersion (or "0") it starts with synthetic ADDED events for the current state;
    /// with one it replays the retained history after it, or fails with 410 Expired when that history was compacted.
    /// </summary>
    public Watcher Watch(ResourceType type, string? ns, Func<JsonObject, bool> matches, string? resourceVersion, bool bookmarks, bool sendInitialEvents = false)
    {
        lock (_gate)
        {
            var watcher = new Watcher(type, ns, matches, bookmarks);
            if (sendInitialEvents || string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                var prefix = ns is null ? null : ns + "/";
                foreach (var (key, obj) in Bucket(type.GroupResource))
                {
                    if ((prefix is null || key.StartsWith(prefix, StringComparison.Ordinal)) && matches(obj))
                    {
                        watcher.Events.Writer.TryWrite(new WatchEvent("ADDED", obj));
                    }
                }
                if (sendInitialEvents)
                {
                    // Streaming lists (KEP-3157): a bookmark marks the end of the initial state.
                    var end = Bookmark(type);
                    end["metadata"]!["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                    watcher.Events.Writer.TryWrite(new WatchEvent("BOOKMARK", end));
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, out var from))
                {
                    throw ApiException.BadRequest($"invalid resource version: \"{resourceVersion}\"");
                }
                if (from < _compactedRevision)
                {
                    throw ApiException.Gone($"too old resource version: {from} ({_compactedRevision})");
                }
                foreach (var e in _history)
                {
                    if (e.Revision > from && watcher.Translate(e.GroupResource, e.Namespace, e.Type, e.Old, e.Object) is { } translated)
                    {
                        watcher.Events.Writer.TryWrite(translated);
                    }
                }
            }
            _watchers.Add(watcher);
            return watcher;
        }
    }

    public void StopWatching(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
        watcher.Events.Writer.TryComplete();
    }

    /// <summary>Queues a BOOKMARK (carrying the current revision) to every watcher that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers.Where(w => w.Bookmarks))
            {
                watcher.Events.Writer.TryWrite(new WatchEvent("BOOKMARK", Bookmark(watcher.Type)));
            }
        }
    }

    JsonObject Bookmark(ResourceType type) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public IReadOnlyList<Watcher> Watchers
    {
        get { lock (_gate) { return [.. _watchers]; } }
    }

    /// <summary>Forgets the whole event history, as an etcd compaction does: watches from older revisions get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedRevision = _revision;
        }
    }
}

/// <summary>DeleteOptions.propagationPolicy.</summary>
internal enum DeletionPolicy
{
    Background,
    Foreground,
    Orphan,
}

/// <summary>DeleteOptions.preconditions.</summary>
internal readonly record struct Preconditions(string? Uid, string? ResourceVersion);
