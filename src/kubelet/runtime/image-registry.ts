/**
 * The container registry the nodes pull from, as far as a pull's duration and outcome go: an image's size (from the
 * scenario's image catalog, `spec.images`, or the default size) over the node's pull bandwidth, or a pull time
 * drawn from the catalog's distribution; an image the catalog marks missing fails to pull with containerd's
 * NotFound error.
 */
import type { Rng } from "../../engine/rng.js";
import { sample, type Distribution } from "../../workload/distribution.js";

/** One image of the catalog (spec.images). */
export interface ImageCatalogEntry {
  /** The reference as pods write it (matched as written: "nginx:1.27", "registry.example/app:2"). */
  readonly image: string;
  /** Image size (bytes), for the pull time and the Pulled event. */
  readonly sizeBytes?: number;
  /** A pull time instead of size / bandwidth. */
  readonly pullTime?: Distribution;
  /** The registry does not have it: every pull fails (ErrImagePull). */
  readonly missing?: boolean;
}

/** The outcome of one pull: how long it takes and, for a failure, containerd's error. */
export interface PullOutcome {
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly error: string | undefined;
}

/** Pull durations and outcomes for every node (one registry per run). */
export class ImageRegistry {
  private readonly byImage = new Map<string, ImageCatalogEntry>();

  /**
   * @param defaultSizeBytes settings.defaultImageSize, for images the catalog does not list.
   * @param bandwidthBytesPerSecond settings.imagePullBandwidth: one node's download rate.
   */
  constructor(
    catalog: readonly ImageCatalogEntry[],
    private readonly defaultSizeBytes: number,
    private readonly bandwidthBytesPerSecond: number,
  ) {
    for (const e of catalog) this.byImage.set(e.image, e);
  }

  /** The catalog entry of an image, if listed. */
  entry(image: string): ImageCatalogEntry | undefined {
    return this.byImage.get(image);
  }

  /** The size of an image (bytes): the catalog's, else the default. */
  sizeOf(image: string): number {
    return this.byImage.get(image)?.sizeBytes ?? this.defaultSizeBytes;
  }

  /** One pull of `image`; a drawn pull time takes one draw of `rng`. */
  pull(image: string, rng: Rng): PullOutcome {
    const e = this.byImage.get(image);
    const sizeBytes = this.sizeOf(image);
    const durationMs = e?.pullTime ? sample(e.pullTime, rng) : e?.missing ? 0 : Math.ceil((sizeBytes * 1000) / this.bandwidthBytesPerSecond);
    if (!e?.missing) return { durationMs, sizeBytes, error: undefined };
    const ref = dockerReference(image);
    return {
      durationMs,
      sizeBytes: 0,
      error: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    };
  }
}

/**
 * An image reference as containerd resolves it (github.com/distribution/reference ParseNormalizedNamed, then
 * TagNameOnly): Docker Hub names get the docker.io domain (and library/ for one-word names), a reference without a
 * tag or digest gets :latest.
 */
export function dockerReference(image: string): string {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let name = hasDomain ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !name.includes("@")) name += ":latest";
  return name;
}
