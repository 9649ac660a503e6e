/**
 * The container registry the nodes pull from, as far as a pull's duration and outcome go: an image's size (from the
 * scenario's image catalog, `spec.images`, or the default size) over the node's pull bandwidth, or a pull time
 * drawn from the catalog's distribution; an image the catalog marks missing fails to pull with containerd's
 * NotFound error. An outage (the imageRegistryOutage fault) makes pulls of the images it matches fail while it
 * lasts, with containerd's error for a registry answering 503 Service Unavailable.
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

/** One outage window: the pulls of matching images fail from its start until `untilMs` (virtual ms). */
interface Outage {
  readonly matches: (image: string) => boolean;
  readonly untilMs: number;
}

/** Pull durations and outcomes for every node (one registry per run). */
export class ImageRegistry {
  private readonly byImage = new Map<string, ImageCatalogEntry>();
  private outages: Outage[] = [];

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

  /**
   * From now until `untilMs` (Infinity: the run's end), pulls of the images `pattern` matches fail (imagePattern:
   * the reference as pods write it or as containerd resolves it). Windows compose: an image is unavailable while
   * any window matching it lasts.
   */
  startOutage(pattern: string, untilMs: number): void {
    this.outages.push({ matches: imagePattern(pattern), untilMs });
  }

  /** Whether the registry answers for `image` at `now` (no outage window matching it lasts). */
  reachable(image: string, now: number): boolean {
    if (this.outages.length === 0) return true;
    if (this.outages.some((o) => o.untilMs <= now)) this.outages = this.outages.filter((o) => o.untilMs > now);
    return !this.outages.some((o) => o.matches(image));
  }

  /**
   * One pull of `image` started at `now`; a drawn pull time takes one draw of `rng`. Inside an outage the pull
   * fails at once (the manifest's HEAD request is answered 503), drawing nothing.
   * NOTE: a pull that started before an outage completes; upstream its remaining layer downloads would fail.
   */
  pull(image: string, rng: Rng, now: number): PullOutcome {
    if (!this.reachable(image, now)) return { durationMs: 0, sizeBytes: 0, error: unavailableError(image) };
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
 * containerd's error for a registry that answers the manifest request with 503 (remotes/docker resolver.go, the
 * ErrUnexpectedStatus of errcode.go, wrapped by the CRI's PullImage): the HEAD request to the registry's v2 API
 * (Docker Hub's is registry-1.docker.io), as the kubelet shows it in ErrImagePull's message.
 */
export function unavailableError(image: string): string {
  const ref = dockerReference(image);
  const slash = ref.indexOf("/");
  const domain = ref.slice(0, slash);
  const rest = ref.slice(slash + 1);
  const at = rest.indexOf("@");
  const colon = at >= 0 ? at : rest.lastIndexOf(":");
  const url = `https://${domain === "docker.io" ? "registry-1.docker.io" : domain}/v2/${rest.slice(0, colon)}/manifests/${rest.slice(colon + 1)}`;
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": unexpected status from HEAD request to ${url}: 503 Service Unavailable`;
}

/**
 * The images an outage pattern names: a glob where `*` matches any run of characters (slashes too) and `?` one
 * character, tried against the reference as pods write it ("nginx:1.27") and as containerd resolves it
 * ("docker.io/library/nginx:1.27"), so "docker.io/*" names every Docker Hub image and "nginx:*" every nginx tag.
 * k8sim's own pattern (no upstream analogue).
 */
export function imagePattern(pattern: string): (image: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return (image) => re.test(image) || re.test(dockerReference(image));
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
