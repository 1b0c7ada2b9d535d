//! `signet man`: man pages generated from the clap definition (clap_mangen), never written by
//! hand, so they cannot drift from the real flags. Packaging writes them all with `--all DIR`.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory as _;

use super::UsageError;
use super::args::Cli;

/// Prints one page, or writes every page into `all`.
pub(super) fn man(command: &[String], all: Option<&Path>) -> anyhow::Result<()> {
    let root = Cli::command();
    if let Some(dir) = all {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (name, cmd) in pages(&root) {
            let path = dir.join(format!("{name}.1"));
            let mut file = std::fs::File::create(&path)
                .with_context(|| format!("writing {}", path.display()))?;
            clap_mangen::Man::new(cmd).render(&mut file)?;
        }
        return Ok(());
    }
    let wanted = std::iter::once("signet")
        .chain(command.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("-");
    let (_, cmd) = pages(&root)
        .into_iter()
        .find(|(name, _)| *name == wanted)
        .ok_or_else(|| UsageError(format!("no man page {wanted}(1): see `signet --help`")))?;
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(())
}

/// Every page: the root, then one per command and subcommand (`signet-keys-generate`), each
/// named as its page and invoked by its full name.
fn pages(root: &clap::Command) -> Vec<(String, clap::Command)> {
    let mut root = root.clone();
    root.build();
    let mut out = Vec::new();
    walk(&root, "signet", &mut out);
    out
}

fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
    let display = name.replace('-', " ");
    let page = cmd
        .clone()
        .name(name.to_string())
        .display_name(display.clone())
        .bin_name(display);
    out.push((name.to_string(), page));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        walk(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}
