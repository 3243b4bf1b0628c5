// Launches Debian's Chromium headless through playwright-core (no browser download).
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A headless Chromium browser; `extraArgs` are added to the command line. */
export function launch(extraArgs = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Flags for tests where a page on one loopback port talks to a server on
 * another: Chromium's Local Network Access checks refuse that in headless
 * mode (a real site and collector are not both on loopback).
 */
export const CROSS_PORT_LOOPBACK = ["--disable-features=LocalNetworkAccessChecks"];
