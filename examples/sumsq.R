#!/usr/bin/env Rscript
# A long job that checkpoints when oomguard asks, and resumes from its checkpoint.
#
# It sums i^2 for i = 1..N, one i per iteration, keeping --mib MiB per iteration in a cache (so
# its memory grows as it goes), and prints "result: SUM" on stdout at the end (the right answer
# is N(N+1)(2N+1)/6).
#
# Checkpoint protocol (run it with `oomguard -- Rscript sumsq.R`, no --checkpoint-signal: R
# treats SIGUSR1 as "save the workspace and quit"): between two iterations, where the state is
# consistent, it looks for the file named by OOMGUARD_CHECKPOINT_FILE; when it is there, the job
# writes its state with saveRDS to a temporary file, renames that over --state (a reader never
# sees half a state), and acknowledges by removing the flag file. Started again, it resumes from
# --state; when it finishes, it removes --state.
#
# Options: --n N (160), --mib M (1), --per-second K (20), --state FILE (sumsq-r.rds)

opts <- list(n = 160, mib = 1, per_second = 20, state = "sumsq-r.rds")
args <- commandArgs(trailingOnly = TRUE)
for (k in seq(1, length(args), by = 2)) {
  if (length(args) == 0) break
  name <- gsub("-", "_", sub("^--", "", args[k]))
  if (!name %in% names(opts) || k + 1 > length(args)) {
    stop("usage: sumsq.R [--n N] [--mib M] [--per-second K] [--state FILE]")
  }
  opts[[name]] <- if (name == "state") args[k + 1] else as.numeric(args[k + 1])
}
say <- function(...) message("sumsq.R: ", ...)

state <- list(next_i = 1, sum = 0)
if (file.exists(opts$state)) {
  state <- readRDS(opts$state)
  say("resumed at iteration ", state$next_i, " (sum so far ", format(state$sum, scientific = FALSE), ")")
}
flag <- Sys.getenv("OOMGUARD_CHECKPOINT_FILE")

checkpoint <- function() {
  tmp <- paste0(opts$state, ".tmp")
  saveRDS(state, tmp)
  file.rename(tmp, opts$state)  # atomic: the old state or the new one, never half of one
  file.remove(flag)             # acknowledges: oomguard may stop the job now
  say("checkpoint at iteration ", state$next_i, " (sum so far ", format(state$sum, scientific = FALSE), ")")
}

cache <- list()
doubles <- opts$mib * 1024 * 1024 / 8
while (state$next_i <= opts$n) {
  i <- state$next_i
  cache[[length(cache) + 1]] <- rep(as.numeric(i), doubles)  # every page written: really charged
  state <- list(next_i = i + 1, sum = state$sum + i * i)
  if (nzchar(flag) && file.exists(flag)) {
    checkpoint()
  }
  Sys.sleep(1 / opts$per_second)
}
cat("result: ", format(state$sum, scientific = FALSE), "\n", sep = "")
if (file.exists(opts$state)) invisible(file.remove(opts$state))
