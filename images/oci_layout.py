#!/usr/bin/env python3
"""Writes an OCI image archive (an image layout in a tar, as `ctr image import` and skopeo read it) from root
filesystem folders, without a container engine. Layers are deterministic: entries sorted, times zeroed, owned by
root unless listed in the spec's "owners", so the same inputs give the same digests.

Spec (JSON file, first argument):
  {"name": "docker.io/wasmkube/wasmkube-operator:dev",
   "images": [{"architecture": "amd64", "layers": ["DIR", ...], "entrypoint": [...], "user": "65532:65532",
               "env": ["PATH=..."], "owners": {"/home/nonroot": "65532:65532"}}]}
Second argument: the archive to write.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"


def layer_tar(root, owners):
    """The folder as an uncompressed tar whose paths are relative to the image root."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = []
        for directory, subdirs, files in os.walk(root):
            subdirs.sort()
            for name in sorted(subdirs + files):
                entries.append(os.path.join(directory, name))
        for path in sorted(entries, key=lambda p: os.path.relpath(p, root)):
            relative = os.path.relpath(path, root)
            info = tar.gettarinfo(path, arcname=relative)
            info.mtime = 0
            uid, gid = owners.get("/" + relative, "0:0").split(":")
            info.uid, info.gid = int(uid), int(gid)
            info.uname = info.gname = ""
            if info.isreg():
                with open(path, "rb") as content:
                    tar.addfile(info, content)
            else:
                tar.addfile(info)
    return buffer.getvalue()


def main():
    spec = json.load(open(sys.argv[1]))
    blobs = {}

    def add_blob(data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        blobs[digest] = data
        return digest

    manifests = []
    for image in spec["images"]:
        layers, diff_ids = [], []
        for folder in image["layers"]:
            tar = layer_tar(folder, image.get("owners", {}))
            diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
            compressed = gzip.compress(tar, compresslevel=9, mtime=0)
            layers.append({"mediaType": MEDIA_LAYER, "digest": add_blob(compressed), "size": len(compressed)})
        config = {
            "architecture": image["architecture"],
            "os": "linux",
            "config": {
                "Entrypoint": image["entrypoint"],
                "User": image.get("user", "0:0"),
                "Env": image.get("env", []),
                "WorkingDir": "/",
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }
        config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": MEDIA_MANIFEST,
            "config": {"mediaType": MEDIA_CONFIG, "digest": add_blob(config_bytes), "size": len(config_bytes)},
            "layers": layers,
        }
        manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
        manifests.append({
            "mediaType": MEDIA_MANIFEST, "digest": add_blob(manifest_bytes), "size": len(manifest_bytes),
            "platform": {"architecture": image["architecture"], "os": "linux"},
        })

    index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": manifests}
    index_bytes = json.dumps(index, sort_keys=True, separators=(",", ":")).encode()
    name = spec["name"]
    top = {
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": [{
            "mediaType": MEDIA_INDEX, "digest": add_blob(index_bytes), "size": len(index_bytes),
            "annotations": {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": name.rsplit(":", 1)[1]},
        }],
    }

    def member(tar, path, data):
        info = tarfile.TarInfo(path)
        info.size, info.mode, info.mtime = len(data), 0o644, 0
        tar.addfile(info, io.BytesIO(data))

    with tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT) as tar:
        member(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        member(tar, "index.json", json.dumps(top, sort_keys=True, separators=(",", ":")).encode())
        for folder in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for digest in sorted(blobs):
            member(tar, "blobs/sha256/" + digest.split(":", 1)[1], blobs[digest])


if __name__ == "__main__":
    main()
