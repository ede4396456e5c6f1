/** The one question the companion commands ask (rm of unpushed work), behind an interface tests can replace. */
import * as clack from "@clack/prompts";

export interface Confirmer {
  confirm(message: string): Promise<boolean>;
}

export const clackConfirmer: Confirmer = {
  async confirm(message) {
    const answer = await clack.confirm({ message, initialValue: false });
    return answer === true;
  },
};
